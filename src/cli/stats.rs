//! `design`, `peek`, `plan` and `analyze`: the statistics subcommands.
//! JSON keys are documented in docs/statistics.md.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Value, json};

use super::{BadInput, Format};
use journeylab::api::lab::{
    BoundaryFamily, ChoiceError, Control, Design, DesignChoice, DesignSpec, Effect, Errors, Futility, FutilityChoice,
    Increments, Margin, Method, MetricKind, PeekConfig, Peeking, Sides, StatsError, analyze_looks, draw_peeking,
    equal_fractions, naive_peeking_curve, plan, proportions_margin_per_arm, proportions_per_arm, read_looks,
    simulate_peeking,
};
use journeylab::api::{Band, Curve, ImageFormat, NamedCurve};

fn bad(message: impl Into<String>) -> anyhow::Error {
    BadInput(message.into()).into()
}

/// Library errors caused by the user's parameters are bad input (exit 2).
fn input(error: StatsError) -> anyhow::Error {
    match error {
        StatsError::OutOfRange { .. } | StatsError::Inconsistent(_) => bad(error.to_string()),
        other => anyhow::Error::new(other),
    }
}

fn emit(format: Format, json: &Value, table: impl FnOnce() -> String) -> anyhow::Result<ExitCode> {
    match format {
        Format::Json => super::say(&serde_json::to_string_pretty(json)?),
        Format::Table => super::say(table().trim_end()),
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_number(text: &str, what: &str) -> anyhow::Result<f64> {
    text.parse::<f64>().map_err(|_| bad(format!("{what}: '{text}' is not a number")))
}

/// The spending family, parsed by the library (one grammar for the CLI and scenario files).
fn parse_family(text: &str) -> anyhow::Result<BoundaryFamily> {
    BoundaryFamily::parse(text).map_err(bad)
}

/// The monitoring method, parsed by the library.
fn parse_method(text: &str) -> anyhow::Result<Method> {
    Method::parse(text).map_err(bad)
}

fn parse_fractions(text: &str) -> anyhow::Result<Vec<f64>> {
    text.split(',').map(|f| parse_number(f.trim(), "--fractions")).collect()
}

fn side(one_sided: bool) -> Sides {
    if one_sided { Sides::One } else { Sides::Two }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FutilityArg {
    None,
    Binding,
    Nonbinding,
}

/// Group-sequential boundaries.
#[derive(Args)]
pub struct DesignArgs {
    #[arg(long)]
    looks: usize,
    /// Information fractions f1,f2,…,1 (default: equally spaced).
    #[arg(long)]
    fractions: Option<String>,
    /// obf|pocock|classic-obf|classic-pocock|haybittle-peto|kim-demets:RHO|hsd:GAMMA|none (none: efficacy only at the final look)
    #[arg(long, default_value = "obf")]
    spending: String,
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    #[arg(long)]
    one_sided: bool,
    #[arg(long, default_value_t = 0.8)]
    power: f64,
    /// Futility bound by beta-spending (one-sided designs).
    #[arg(long, value_enum)]
    futility: Option<FutilityArg>,
    /// Spending function of the futility bound's beta (default: the alpha spending, or obf with --spending none).
    #[arg(long)]
    beta_spending: Option<String>,
    /// Stop early only for futility: --spending none with a non-binding beta-spending futility bound.
    #[arg(long)]
    futility_only: bool,
    /// Observed z at an interim look: report conditional power (needs --at-look).
    #[arg(long, requires = "at_look", allow_hyphen_values = true)]
    interim_z: Option<f64>,
    /// 1-based look at which --interim-z was observed.
    #[arg(long, requires = "interim_z")]
    at_look: Option<usize>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The library's design rules ([`DesignChoice`]) in the words of this command's flags.
fn choice_error(error: ChoiceError) -> anyhow::Error {
    bad(match error {
        ChoiceError::FractionCount { listed, looks } => {
            format!("--fractions lists {listed} looks but --looks is {looks}")
        }
        ChoiceError::FutilityOnlyWithBoundary => {
            "--futility-only sets --spending none; drop --spending or give --spending none".into()
        }
        ChoiceError::FutilityOnlyWithoutBound => "--futility-only needs a futility bound: drop --futility none".into(),
        ChoiceError::BetaSpendingWithoutBound => {
            "--beta-spending needs a futility bound: add --futility binding|nonbinding".into()
        }
        ChoiceError::BetaSpendingNotSpending => {
            "--beta-spending must be a spending function: obf, pocock, kim-demets:RHO or hsd:GAMMA".into()
        }
        ChoiceError::FutilityNeedsSpending => {
            "--futility needs an error-spending --spending (obf, pocock, kim-demets:RHO, hsd:GAMMA, none)".into()
        }
        ChoiceError::Name(message) => message,
    })
}

fn futility_label(futility: Futility) -> String {
    format!("{} beta-spending {}", if futility.binding { "binding" } else { "non-binding" }, futility.spending.label())
}

pub fn design(args: DesignArgs) -> anyhow::Result<ExitCode> {
    let choice = DesignChoice {
        looks: args.looks,
        fractions: args.fractions.as_deref().map(parse_fractions).transpose()?,
        spending: &args.spending,
        futility: args.futility.map(|f| match f {
            FutilityArg::None => FutilityChoice::None,
            FutilityArg::Binding => FutilityChoice::Binding,
            FutilityArg::Nonbinding => FutilityChoice::NonBinding,
        }),
        beta_spending: args.beta_spending.as_deref(),
        futility_only: args.futility_only,
        alpha: args.alpha,
        sides: side(args.one_sided),
        power: args.power,
    };
    let design = Design::new(choice.spec().map_err(choice_error)?).map_err(input)?;
    let (family, sides, futility) = (design.spec.family, design.spec.sides, design.spec.futility);
    let conditional = match (args.interim_z, args.at_look) {
        (Some(z), Some(look)) => {
            if look == 0 || look > design.looks.len() {
                return Err(bad(format!("--at-look must be 1 to {}, got {look}", design.looks.len())));
            }
            Some(design.conditional_powers(look, z).map_err(input)?)
        }
        _ => None,
    };
    let looks: Vec<Value> = design
        .looks
        .iter()
        .map(|l| {
            json!({"fraction": l.fraction, "upper": l.upper, "lower": l.lower, "nominal_p": l.nominal_p,
                   "alpha_spent": l.alpha_spent, "beta_spent": l.beta_spent, "power_spent": l.power_spent})
        })
        .collect();
    let json = json!({
        "looks": looks,
        "inflation": design.inflation,
        "boundary": family.label(),
        "sides": sides.describe(),
        "futility": futility.map(futility_label),
        "test": "group-sequential z-test on the score statistic",
        "conditional_power": conditional,
        "scale": "z statistic; nominal_p is two-sided for two-sided designs; alpha_spent is cumulative over both sides",
        "alpha": args.alpha,
        "power": args.power,
        "drift": design.drift,
        "expected_fraction_h0": design.expected_fraction_h0,
        "expected_fraction_h1": design.expected_fraction_h1,
    });
    emit(args.format, &json, || {
        let mut out = format!(
            "{} design, {}, alpha {}, power {}\n{:>5} {:>9} {:>9} {:>9} {:>11} {:>12}\n",
            family.label(),
            sides.describe(),
            args.alpha,
            args.power,
            "look",
            "fraction",
            "upper z",
            "lower z",
            "nominal p",
            "alpha spent"
        );
        for (k, l) in design.looks.iter().enumerate() {
            let lower = l.lower.map_or("-".to_string(), |a| format!("{a:.4}"));
            out += &format!(
                "{:>5} {:>9.4} {:>9.4} {:>9} {:>11.6} {:>12.6}\n",
                k + 1,
                l.fraction,
                l.upper,
                lower,
                l.nominal_p,
                l.alpha_spent
            );
        }
        if let Some(f) = futility {
            out += &format!("futility: {} (lower z)\n", futility_label(f));
        }
        out += &format!(
            "max sample size = {:.4} x fixed design; expected {:.4} x max under H0, {:.4} x max under H1\n",
            design.inflation, design.expected_fraction_h0, design.expected_fraction_h1
        );
        if let Some(c) = &conditional {
            // `{:?}` writes a float as JSON does (2.0, not 2): the table has always shown z so.
            out += &format!(
                "conditional power at look {} with z = {:?}: {:.4} under the design effect, {:.4} under the current trend, {:.4} under H0\n",
                c.look, c.z, c.under_design_effect, c.under_current_trend, c.under_h0
            );
        }
        out
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum IncrementsArg {
    Binomial,
    Normal,
}

/// Monte Carlo of repeated looks.
#[derive(Args)]
pub struct PeekArgs {
    #[arg(long)]
    looks: usize,
    #[arg(long)]
    sims: u64,
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// naive|gst:SPENDING|msprt[:TAU2]|cs[:RHO]|bayes:THRESHOLD
    #[arg(long)]
    method: String,
    #[arg(long, default_value_t = 0.1)]
    baseline: f64,
    /// True relative lift of B (0 = A/A test, so `rate` is the false-positive rate).
    #[arg(long, default_value_t = 0.0)]
    lift: f64,
    #[arg(long, default_value_t = 1000)]
    users_per_look: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, value_enum, default_value_t = IncrementsArg::Binomial)]
    increments: IncrementsArg,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the peeking chart: the rate of declared winners against the number of looks
    /// (1, 2, 3, 5, 10, … up to --looks) for naive peeking and the method, as SVG, PNG and CSV.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Numbers of looks the peeking chart is drawn at (up to the requested maximum).
const CHART_LOOKS: [usize; 11] = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100];

/// Runs the Monte Carlo at each number of looks for naive peeking and `method` (the same
/// simulated experiments for both), and writes peeking.{svg,png,csv} into `dir`.
fn peeking_chart(dir: &std::path::Path, config: &PeekConfig, method: Method) -> anyhow::Result<()> {
    let looks: Vec<usize> = CHART_LOOKS.iter().copied().filter(|&k| k < config.looks).chain([config.looks]).collect();
    let methods = if method == Method::Naive { vec![Method::Naive] } else { vec![Method::Naive, method] };
    let mut curves: Vec<NamedCurve> = methods
        .iter()
        .map(|m| NamedCurve {
            name: m.title(),
            curve: Curve { x: Vec::new(), y: Vec::new(), band: Some(Band::default()) },
        })
        .collect();
    let mut csv = String::from("looks,method,rate,ci_low,ci_high\n");
    for &k in &looks {
        let report = simulate_peeking(&PeekConfig { looks: k, ..config.clone() }, &methods, Control::default())
            .map_err(input)?;
        for (curve, m) in curves.iter_mut().zip(&report.methods) {
            curve.curve.x.push(k as f64);
            curve.curve.y.push(m.rate);
            if let Some(band) = curve.curve.band.as_mut() {
                band.lower.push(m.ci[0]);
                band.upper.push(m.ci[1]);
            }
            csv.push_str(&format!("{k},{},{},{},{}\n", m.method, m.rate, m.ci[0], m.ci[1]));
        }
    }
    let what = if config.lift == 0.0 { "A/A: false positives" } else { "declared winners" };
    // The exact curve (Armitage, McPherson & Rowe) holds under no effect only.
    let exact = if config.lift == 0.0 {
        let y = naive_peeking_curve(config.looks, config.alpha).map_err(input)?;
        Some(Curve { x: (1..=y.len()).map(|k| k as f64).collect(), y, band: None })
    } else {
        None
    };
    let chart = Peeking {
        title: format!("Peeking: {what} by number of looks"),
        methods: curves,
        nominal: config.alpha,
        exact,
        ..Default::default()
    };
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("peeking.csv"), csv)?;
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        std::fs::write(dir.join(format!("peeking.{}", format.extension())), draw_peeking(&chart, format)?)?;
    }
    Ok(())
}

pub fn peek(args: PeekArgs) -> anyhow::Result<ExitCode> {
    let method = parse_method(&args.method)?;
    let config = PeekConfig {
        looks: args.looks,
        sims: args.sims,
        alpha: args.alpha,
        baseline: args.baseline,
        lift: args.lift,
        users_per_look: args.users_per_look,
        seed: args.seed,
        increments: match args.increments {
            IncrementsArg::Binomial => Increments::Binomial,
            IncrementsArg::Normal => Increments::Normal,
        },
    };
    let report = simulate_peeking(&config, &[method], Control::default()).map_err(input)?;
    if let Some(dir) = &args.out {
        peeking_chart(dir, &config, method)?;
    }
    let m = &report.methods[0];
    let json = json!({
        "rate": m.rate, "ci": m.ci, "mean_stop_look": m.mean_stop_look, "sims": args.sims,
        "method": m.method, "conventions": m.conventions, "rate_is": if args.lift == 0.0 { "false-positive rate" } else { "power (declared a difference, either sign)" },
        "ci_kind": "95% Clopper-Pearson Monte Carlo interval",
        "declared": m.declared, "wrong_sign": m.wrong_sign, "stops_by_look": m.stops_by_look,
        "mean_abs_estimate_at_stop": m.mean_abs_estimate_at_stop, "exaggeration": m.exaggeration,
        "lift_scale": "relative (p_B = baseline x (1 + lift)); estimates absolute", "increments": config.increments,
        "seed": args.seed,
    });
    emit(args.format, &json, || {
        format!(
            "{} ({}; {}; {} SE; p-value: {})\n{} sims x {} looks, baseline {}, relative lift {}\nrate {:.4}  95% MC interval [{:.4}, {:.4}]  ({})\nmean stop look {}  stops by look {:?}\nexaggeration at stop {}\n",
            m.method,
            m.conventions.test,
            m.conventions.sides,
            m.conventions.standard_error,
            m.conventions.p_value,
            args.sims,
            args.looks,
            args.baseline,
            args.lift,
            m.rate,
            m.ci[0],
            m.ci[1],
            if args.lift == 0.0 { "false-positive rate" } else { "power" },
            m.mean_stop_look.map_or("-".into(), |x| format!("{x:.2}")),
            m.stops_by_look,
            m.exaggeration.map_or("- (A/A)".into(), |x| format!("{x:.3}x")),
        )
    })
}

/// Sample size and duration.
#[derive(Args)]
pub struct PlanArgs {
    #[arg(long)]
    baseline: f64,
    /// Minimum detectable effect: absolute (0.01 = one point) unless --relative. With --margin: the true lift to power at (may be 0).
    #[arg(long, allow_hyphen_values = true)]
    mde: f64,
    /// --mde and --margin are relative lifts (p_B / p_A - 1).
    #[arg(long)]
    relative: bool,
    /// One-sided test against a margin: H0 lift <= MARGIN (negative: non-inferiority, positive: superiority by a margin).
    #[arg(long, allow_hyphen_values = true)]
    margin: Option<f64>,
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    #[arg(long, default_value_t = 0.8)]
    power: f64,
    #[arg(long)]
    one_sided: bool,
    /// Users entering the experiment per day (both arms together).
    #[arg(long)]
    daily_users: Option<f64>,
    /// fixed, or a spending (obf, pocock, classic-obf, …) for a group-sequential design.
    #[arg(long, default_value = "fixed")]
    design: String,
    /// Looks of a group-sequential design.
    #[arg(long, default_value_t = 5)]
    looks: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn plan_command(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let margin = args.margin.map(|m| if args.relative { Margin::Relative(m) } else { Margin::Absolute(m) });
    let sides = if margin.is_some() { Sides::One } else { side(args.one_sided) };
    let effect = if args.relative { Effect::Relative(args.mde) } else { Effect::Absolute(args.mde) };
    let errors = Errors { alpha: args.alpha, power: args.power, sides };
    let n_fixed = match margin {
        Some(margin) => proportions_margin_per_arm(args.baseline, effect, margin, args.alpha, args.power),
        None => proportions_per_arm(args.baseline, effect, errors),
    }
    .map_err(input)?;
    let (test, hypothesis) = match margin {
        Some(margin) => {
            ("two-proportion z-test against a margin (unpooled SE; Chow-Shao-Wang 2008 §4.2)", margin.hypothesis())
        }
        None => (
            "two-proportion z-test (pooled SE under H0, unpooled under H1; Fleiss-Levin-Paik)",
            format!("H0: no difference, {}", sides.describe()),
        ),
    };
    let design = match args.design.as_str() {
        "fixed" => None,
        spending => Some(
            Design::new(DesignSpec {
                fractions: equal_fractions(args.looks),
                family: parse_family(spending)?,
                alpha: args.alpha,
                sides,
                power: args.power,
                futility: None,
            })
            .map_err(input)?,
        ),
    };
    let plan = plan(n_fixed, design.as_ref(), args.daily_users).map_err(input)?;
    let json = json!({
        "n_per_arm": plan.n_per_arm, "days": plan.days,
        "n_fixed_per_arm": plan.n_fixed_per_arm, "expected_n_h0": plan.expected_n_h0, "expected_n_h1": plan.expected_n_h1,
        "test": test, "hypothesis": hypothesis, "margin": margin,
        "sides": sides.describe(), "mde": args.mde,
        "mde_scale": if args.relative { "relative (p_B / p_A - 1)" } else { "absolute (p_B - p_A)" },
        "design": design.as_ref().map(|d| d.spec.family.label()).unwrap_or_else(|| "fixed".into()),
        "looks": design.as_ref().map(|d| d.looks.len()),
    });
    emit(args.format, &json, || {
        let mut out = format!(
            "{} users per arm ({} for a fixed-horizon test); {}; MDE {} {}\n{test}\n{hypothesis}\n",
            plan.n_per_arm,
            plan.n_fixed_per_arm,
            sides.describe(),
            args.mde,
            if args.relative { "relative" } else { "absolute" }
        );
        if let (Some(h0), Some(h1)) = (plan.expected_n_h0, plan.expected_n_h1) {
            out += &format!("expected users per arm: {h0:.0} if there is no effect, {h1:.0} at the MDE\n");
        }
        out + &plan.days.map_or("days: give --daily-users\n".into(), |d| format!("{d} days\n"))
    })
}

/// Per-look analysis of observed cumulative counts.
#[derive(Args)]
pub struct AnalyzeArgs {
    /// CSV, one row per look, cumulative: users_a,conversions_a,users_b,conversions_b (conversions)
    /// or users_a,sum_a,sum_sq_a,users_b,sum_b,sum_sq_b (a mean, e.g. revenue per user: Σx and Σx²).
    looks: PathBuf,
    /// naive|gst:SPENDING|msprt[:TAU2]|cs[:RHO]|bayes:THRESHOLD
    #[arg(long)]
    method: String,
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// Planned maximum users per arm (default: the last look's, i.e. the last look is final).
    #[arg(long)]
    max_users: Option<f64>,
    /// One-sided test against a margin: H0 lift <= MARGIN (negative: non-inferiority).
    #[arg(long, allow_hyphen_values = true)]
    margin: Option<f64>,
    /// --margin is a relative lift (p_B / p_A - 1).
    #[arg(long, requires = "margin")]
    relative: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn analyze_command(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let method = parse_method(&args.method)?;
    let observed = super::read_csv(&args.looks, read_looks)?;
    let looks = observed.looks();
    let margin = args.margin.map(|m| if args.relative { Margin::Relative(m) } else { Margin::Absolute(m) });
    let analysis = analyze_looks(looks, &method, args.alpha, args.max_users, margin).map_err(input)?;
    let json = serde_json::to_value(&analysis)?;
    emit(args.format, &json, || {
        let c = &analysis.conventions;
        let mut out = format!(
            "{} — {}; {}; {} SE; p-value: {}; lift {}\n{}\n{:>4} {:>8} {:>10} {:>23} {:>8} {:>9} {:>9} {:>8}  decision\n",
            analysis.method,
            c.test,
            c.sides,
            c.standard_error,
            c.p_value,
            c.lift,
            analysis.hypothesis,
            "look",
            "fraction",
            "estimate",
            "interval",
            if analysis.metric == MetricKind::Mean { "t" } else { "z" },
            "naive p",
            "method p",
            "bound"
        );
        for l in &analysis.looks {
            out += &format!(
                "{:>4} {:>8.3} {:>10.5} [{:>10.5}, {:>10.5}] {:>8.3} {:>9.5} {:>9} {:>8}  {:?}\n",
                l.look,
                l.fraction,
                l.estimate,
                l.interval[0],
                l.interval[1],
                l.z,
                l.naive_p,
                l.method_p.map_or("-".into(), |p| format!("{p:.5}")),
                l.boundary.map_or("-".into(), |b| format!("{b:.3}")),
                l.decision
            );
        }
        out
    })
}
