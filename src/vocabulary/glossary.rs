//! The statistical and modelling terms the screens and reports use, each with
//! one name and a one-line definition (docs/statistics.md and docs/predict.md
//! hold the formulas and sources).

/// One term of the glossary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Term {
    /// Stable id, e.g. `information_fraction`.
    pub id: &'static str,
    /// The term as screens write it, e.g. "Information fraction" or "α".
    pub term: &'static str,
    /// Its one-line definition.
    pub definition: &'static str,
}

const fn term_(id: &'static str, term: &'static str, definition: &'static str) -> Term {
    Term { id, term, definition }
}

/// Every term, alphabetical by id.
pub const GLOSSARY: [Term; 35] = [
    term_(
        "alpha",
        "α (significance level)",
        "The chance of declaring an effect when there is none (a false positive) that a test allows, e.g. 0.05.",
    ),
    term_(
        "alpha_spent",
        "α spent",
        "How much of the experiment's α the looks so far have used up; a group-sequential design spends it look by look so the total stays α.",
    ),
    term_(
        "always_valid_p",
        "Always-valid p-value",
        "A p-value that stays valid however often it is looked at and whenever the experiment stops (mSPRT).",
    ),
    term_(
        "baseline",
        "Baseline",
        "The first journey of a scenario: every other design's difference is measured against it.",
    ),
    term_(
        "bdw",
        "BdW",
        "Beta-discrete-Weibull: the sBG with a churn risk that can rise or fall with age; the retention projection chooses it or the sBG on a held-out tail.",
    ),
    term_(
        "beta",
        "β (power)",
        "β is the chance of missing a real effect of the planned size; power, 1 − β, the chance of finding it.",
    ),
    term_(
        "bgnbd",
        "BG/NBD",
        "Beta-geometric/negative binomial distribution model (Fader, Hardie & Lee 2005): how often customers buy and when they stop, fitted to purchase histories.",
    ),
    term_(
        "common_random_numbers",
        "Common random numbers",
        "Every design runs on the same simulated users with the same random draws, so differences come from the designs, not from luck.",
    ),
    term_(
        "confidence_interval",
        "95 % interval",
        "The range that covers the true value in 95 % of repetitions; across replicates it is a Student-t interval, mean ± t · s/√n.",
    ),
    term_(
        "confidence_sequence",
        "Confidence sequence",
        "Intervals that hold at every look at once, so they may be watched continuously without inflating errors.",
    ),
    term_(
        "deal_sensitivity",
        "Deal sensitivity",
        "How much a user waits for discounts once they expect them (deal-proneness in the marketing literature); each discounted purchase raises it.",
    ),
    term_(
        "efficacy_z",
        "Efficacy z",
        "The efficacy boundary at a look: the z the observed statistic must exceed to stop and declare an effect.",
    ),
    term_(
        "futility",
        "Futility",
        "Stopping early because the effect is unlikely to reach significance; binding futility lowers the efficacy bounds, non-binding does not.",
    ),
    term_(
        "gst",
        "GST (group-sequential test)",
        "A test with a few planned looks and boundaries that keep the overall α (O'Brien–Fleming, Pocock or an α-spending function).",
    ),
    term_(
        "guardrail",
        "Guardrail",
        "A metric the shipped design must not make worse, checked beside the primary metric.",
    ),
    term_("holdout", "Holdout", "Users kept out of a journey on purpose, to measure what it adds."),
    term_(
        "information_fraction",
        "Information fraction",
        "How far through its planned sample an experiment is at a look (0 to 1): the share of the final information observed.",
    ),
    term_(
        "kaplan_meier",
        "Kaplan–Meier",
        "The survival estimate Π(1 − lost/at risk) over age days, which counts users who arrived too late to be seen that long as censored, not lost.",
    ),
    term_(
        "mde",
        "MDE (minimum detectable effect)",
        "The smallest true effect an experiment of this size finds with the planned power.",
    ),
    term_(
        "msprt",
        "mSPRT",
        "Mixture sequential probability ratio test: an always-valid test that may be checked after every user.",
    ),
    term_(
        "naive_peeking",
        "Naive peeking",
        "Checking a fixed-horizon test at every look and stopping at the first p < α; it declares false effects far more often than α.",
    ),
    term_(
        "nominal_p",
        "Nominal p",
        "The p-value at a look computed as if it were the only look; a group-sequential design compares it with a smaller per-look threshold.",
    ),
    term_(
        "p_alive",
        "P(alive)",
        "Under the BG/NBD, the probability that a customer has not yet stopped buying for good.",
    ),
    term_(
        "p_value",
        "p-value",
        "How often data at least this extreme would occur if there were no effect; small values are evidence of an effect.",
    ),
    term_(
        "paired_difference",
        "Paired difference",
        "One design minus another on the same users and noise, replicate by replicate; its interval is narrower than comparing two separate means.",
    ),
    term_(
        "percentage_point",
        "Percentage point (pp)",
        "The difference between two percentages: 6.5 % to 7.0 % is +0.5 pp (a relative change of +7.7 %).",
    ),
    term_(
        "primary_metric",
        "Primary metric",
        "The one metric a verdict ranks designs by; the rest are guardrails or context.",
    ),
    term_(
        "replicate",
        "Replicate",
        "One more run of the same scenario with fresh users and noise from the same seed; intervals come from the spread across replicates.",
    ),
    term_(
        "retention",
        "Retention",
        "Activity on a given day after arrival (at least one session), e.g. D30 retention; not the same as survival.",
    ),
    term_(
        "sbg",
        "sBG",
        "Shifted beta-geometric model (Fader & Hardie 2007): each user has a constant chance of leaving per period, varying across users; projects survival beyond the run.",
    ),
    term_(
        "srm",
        "SRM (sample ratio mismatch)",
        "The arms received a different share of users than the design assigned, a sign that assignment or logging is broken (χ² test).",
    ),
    term_(
        "survival",
        "Survival",
        "Not yet lost for good (churned or uninstalled) by a given day after arrival; a lapsed user who may come back still survives.",
    ),
    term_(
        "verdict",
        "Verdict",
        "The comparison's answer in one sentence: ship the leader, discuss a guardrail it makes worse, or run more because the lead is within the noise.",
    ),
    term_(
        "winner",
        "Winner",
        "The design ahead on a metric when its paired lead over the runner-up has a 95 % interval that excludes 0.",
    ),
    term_(
        "z",
        "z (z-statistic)",
        "An estimated effect divided by its standard error; about ±1.96 marks the 95 % two-sided threshold of a fixed-horizon test.",
    ),
];

/// The term with this id.
pub fn term(id: &str) -> Option<&'static Term> {
    GLOSSARY.iter().find(|t| t.id == id)
}

/// The glossary as a Markdown table (term, definition).
pub fn glossary_markdown() -> String {
    let mut out = String::from("| term | definition |\n|---|---|\n");
    for t in &GLOSSARY {
        out.push_str(&format!("| {} | {} |\n", t.term, t.definition));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sorted_and_unique_and_definitions_are_one_line() {
        for pair in GLOSSARY.windows(2) {
            assert!(pair[0].id < pair[1].id, "{} before {}", pair[0].id, pair[1].id);
        }
        for t in &GLOSSARY {
            assert!(t.definition.ends_with('.') && !t.definition.contains('\n'), "{t:?}");
        }
        assert_eq!(term("msprt").map(|t| t.term), Some("mSPRT"));
    }
}
