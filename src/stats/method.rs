//! The monitoring methods compared by the peeking Monte Carlo and applied to
//! observed looks, with the conventions each one uses.

use serde::Serialize;

use super::sequential::{BoundaryFamily, SpendingFunction};

/// How an experiment is monitored look by look.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum Method {
    /// Fixed-horizon z-test at every look, stopping at the first p < α (invalid).
    Naive,
    /// Two-sided group-sequential test with the given boundary family.
    GroupSequential { family: BoundaryFamily },
    /// mSPRT with mixing variance τ² (absolute effect units); `None` tunes τ² to the horizon.
    Msprt { tau2: Option<f64> },
    /// Asymptotic confidence sequence with tuning ρ; `None` tunes ρ to the horizon.
    ConfidenceSequence { rho: Option<f64> },
    /// Stop when `P(B > A)` or `P(A > B)` reaches `threshold` (invalid as a test).
    Bayes { threshold: f64 },
}

/// What is compared between the arms: a proportion (0/1 outcome per user) or a mean
/// (an amount per user, e.g. revenue).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricKind {
    #[default]
    Proportion,
    Mean,
}

/// The conventions of a method, named in every output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conventions {
    pub test: String,
    pub sides: &'static str,
    pub standard_error: &'static str,
    pub p_value: &'static str,
    pub lift: &'static str,
}

impl Method {
    /// Group-sequential test with Lan–DeMets O'Brien–Fleming spending, the default.
    pub fn default_gst() -> Method {
        Method::GroupSequential { family: BoundaryFamily::Spending { function: SpendingFunction::ObrienFleming } }
    }

    /// Short label, e.g. `gst:error-spending:lan-demets-obf`.
    pub fn label(&self) -> String {
        match self {
            Method::Naive => "naive".into(),
            Method::GroupSequential { family } => format!("gst:{}", family.label()),
            Method::Msprt { tau2: Some(t) } => format!("msprt:{t}"),
            Method::Msprt { tau2: None } => "msprt:tuned".into(),
            Method::ConfidenceSequence { rho: Some(r) } => format!("cs:{r}"),
            Method::ConfidenceSequence { rho: None } => "cs:tuned".into(),
            Method::Bayes { threshold } => format!("bayes:{threshold}"),
        }
    }

    /// The method's name for people (chart titles and legends); [`Method::label`] stays the id.
    pub fn title(&self) -> String {
        match self {
            Method::Naive => "Naive: p < α at every look".into(),
            Method::GroupSequential { family } => match family {
                BoundaryFamily::ClassicPocock => "Group-sequential, Pocock".into(),
                BoundaryFamily::ClassicObrienFleming => "Group-sequential, O'Brien–Fleming".into(),
                BoundaryFamily::HaybittlePeto => "Group-sequential, Haybittle–Peto".into(),
                BoundaryFamily::Spending { function } => match function {
                    SpendingFunction::ObrienFleming => "Group-sequential, O'Brien–Fleming spending".into(),
                    SpendingFunction::Pocock => "Group-sequential, Pocock spending".into(),
                    SpendingFunction::KimDeMets { rho } => format!("Group-sequential, Kim–DeMets spending (ρ = {rho})"),
                    SpendingFunction::HwangShihDeCani { gamma } => {
                        format!("Group-sequential, Hwang–Shih–DeCani spending (γ = {gamma})")
                    }
                    SpendingFunction::NoEarlyStop => "Group-sequential, no early stop".into(),
                },
            },
            Method::Msprt { .. } => "mSPRT (always valid)".into(),
            Method::ConfidenceSequence { .. } => "Confidence sequence (always valid)".into(),
            Method::Bayes { threshold } => format!("Bayesian chance to beat ≥ {}%", threshold * 100.0),
        }
    }

    /// The conventions for proportions (see [`Method::conventions_for`]).
    pub fn conventions(&self) -> Conventions {
        self.conventions_for(MetricKind::Proportion)
    }

    /// The conventions of the method applied to proportions or to means.
    pub fn conventions_for(&self, kind: MetricKind) -> Conventions {
        const TWO_SIDED: &str = "two-sided, alpha/2 per side (gsDesign/rpact convention)";
        let (fixed_test, fixed_se, lift) = match kind {
            MetricKind::Proportion => ("two-proportion z-test", "pooled", "absolute (p_B - p_A)"),
            MetricKind::Mean => {
                ("Welch t-test (Welch-Satterthwaite df)", "unpooled (Welch)", "absolute (mean_B - mean_A)")
            }
        };
        let plug_in = match kind {
            MetricKind::Proportion => "unpooled plug-in",
            MetricKind::Mean => "unpooled plug-in (sample variances)",
        };
        match self {
            Method::Naive => Conventions {
                test: format!("{fixed_test} repeated at every look"),
                sides: TWO_SIDED,
                standard_error: fixed_se,
                p_value: "instantaneous (fixed-horizon p-value at each look)",
                lift,
            },
            Method::GroupSequential { family } => Conventions {
                test: match kind {
                    MetricKind::Proportion => format!("group-sequential two-proportion z-test, {}", family.label()),
                    MetricKind::Mean => {
                        format!("group-sequential Welch statistic against normal-theory boundaries, {}", family.label())
                    }
                },
                sides: TWO_SIDED,
                standard_error: fixed_se,
                p_value: "instantaneous z compared with the look's boundary",
                lift,
            },
            Method::Msprt { .. } => Conventions {
                test: "mixture SPRT, normal mixture (Johari, Pekelis & Walsh 2017)".into(),
                sides: "two-sided (symmetric mixture), level alpha",
                standard_error: plug_in,
                p_value: "always-valid (running minimum of 1/Lambda)",
                lift,
            },
            Method::ConfidenceSequence { .. } => Conventions {
                test: "asymptotic confidence sequence (Waudby-Smith et al. 2024; Howard et al. 2021)".into(),
                sides: "two-sided, level alpha",
                standard_error: match kind {
                    MetricKind::Proportion => "unpooled",
                    MetricKind::Mean => plug_in,
                },
                p_value: "always-valid (running minimum)",
                lift,
            },
            Method::Bayes { .. } => Conventions {
                test: "Beta-Binomial chance to beat control, Beta(1,1) prior, fixed threshold either direction".into(),
                sides: "two-sided (either arm reaching the threshold)",
                standard_error: "posterior sd",
                p_value: "none (posterior probability, not a p-value)",
                lift,
            },
        }
    }
}

impl Method {
    /// Parses `naive | gst[:SPENDING] | msprt[:TAU2] | cs[:RHO] | bayes:THRESHOLD`, where SPENDING is
    /// `obf | pocock | classic-obf | classic-pocock | haybittle-peto | kim-demets:RHO | hsd:GAMMA`.
    /// The error says what is accepted.
    pub fn parse(text: &str) -> Result<Method, String> {
        let number = |t: &str, what: &str| t.parse::<f64>().map_err(|_| format!("{what}: '{t}' is not a number"));
        let (name, parameter) = match text.split_once(':') {
            Some((name, rest)) => (name, Some(rest)),
            None => (text, None),
        };
        match (name, parameter) {
            ("naive", None) => Ok(Method::Naive),
            ("gst", None) => Ok(Method::default_gst()),
            ("gst", Some(spending)) => Ok(Method::GroupSequential { family: BoundaryFamily::parse(spending)? }),
            ("msprt", tau2) => Ok(Method::Msprt { tau2: tau2.map(|t| number(t, "msprt TAU2")).transpose()? }),
            ("cs", rho) => Ok(Method::ConfidenceSequence { rho: rho.map(|r| number(r, "cs RHO")).transpose()? }),
            ("bayes", Some(threshold)) => Ok(Method::Bayes { threshold: number(threshold, "bayes THRESHOLD")? }),
            ("bayes", None) => Err("bayes needs a threshold, e.g. bayes:0.95".into()),
            _ => Err(format!(
                "unknown method '{text}': use naive, gst:SPENDING, msprt[:TAU2], cs[:RHO] or bayes:THRESHOLD"
            )),
        }
    }
}

impl BoundaryFamily {
    /// Parses `obf | pocock | classic-obf | classic-pocock | haybittle-peto | kim-demets:RHO | hsd:GAMMA | none`
    /// (`none`: no efficacy stop before the final look).
    pub fn parse(text: &str) -> Result<BoundaryFamily, String> {
        let number = |t: &str, what: &str| t.parse::<f64>().map_err(|_| format!("{what}: '{t}' is not a number"));
        let spending = |function| Ok(BoundaryFamily::Spending { function });
        match text.split_once(':') {
            None => match text {
                "obf" => spending(SpendingFunction::ObrienFleming),
                "pocock" => spending(SpendingFunction::Pocock),
                "classic-obf" => Ok(BoundaryFamily::ClassicObrienFleming),
                "classic-pocock" => Ok(BoundaryFamily::ClassicPocock),
                "haybittle-peto" => Ok(BoundaryFamily::HaybittlePeto),
                "none" => spending(SpendingFunction::NoEarlyStop),
                _ => Err(format!(
                    "unknown spending '{text}': use obf, pocock, classic-obf, classic-pocock, haybittle-peto, kim-demets:RHO, hsd:GAMMA or none"
                )),
            },
            Some(("kim-demets", rho)) => spending(SpendingFunction::KimDeMets { rho: number(rho, "kim-demets RHO")? }),
            Some(("hsd", gamma)) => spending(SpendingFunction::HwangShihDeCani { gamma: number(gamma, "hsd GAMMA")? }),
            Some(_) => Err(format!("unknown spending '{text}': parameters go with kim-demets:RHO or hsd:GAMMA")),
        }
    }
}
