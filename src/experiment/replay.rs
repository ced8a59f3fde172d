//! An experiment replayed day by day: the sequential-monitor chart, each arm's
//! running estimate and the naive p-value path, each through any look, drawn
//! from one report (the CLI draws the whole of it, the app every day).

use statrs::distribution::{ContinuousCDF, Normal};

use super::ExperimentReport;
use crate::chart::{ArmEstimates, Band, Curve, NamedCurve, PValuePath, SequentialMonitor};
use crate::scenario::Metric;
use crate::stats::method::Method;

/// The monitor chart of `report` with the observed statistic drawn through `through` looks
/// (`None`: all). Only looks with a boundary are drawn (naive and group-sequential methods
/// have one at every look; mSPRT and confidence sequences have none, so `None` is returned).
pub fn monitor_chart(report: &ExperimentReport, through: Option<usize>) -> Option<SequentialMonitor> {
    let looks: Vec<_> = report.looks.iter().filter(|l| l.boundary.is_some()).collect();
    if looks.is_empty() {
        return None;
    }
    // The standard error the true effect would meet at each look, from the planned baseline and the
    // look's enrolment (traffic, never outcomes), so the line is design and hints at no later result.
    let rates = [report.plan.baseline, report.plan.baseline + report.truth.effect].map(|p| p.clamp(1e-6, 1.0 - 1e-6));
    let se = |l: &super::LookReport| {
        (rates[0] * (1.0 - rates[0]) / l.users[0].max(1) as f64
            + rates[1] * (1.0 - rates[1]) / l.users[1].max(1) as f64)
            .sqrt()
    };
    let index_of = |day: Option<u32>| day.and_then(|d| looks.iter().position(|l| l.day == d));
    Some(SequentialMonitor {
        title: format!("{} vs {}: {}", report.arms[1], report.arms[0], report.method_title),
        x_label: "day of the experiment".into(),
        // For money metrics the statistic is Welch's t (the boundaries are on the same scale).
        looks: looks.iter().map(|l| f64::from(l.day)).collect(),
        statistic: looks.iter().map(|l| l.z).collect(),
        upper_boundary: looks.iter().filter_map(|l| l.boundary).collect(),
        // Every method here is two-sided: the lower boundary mirrors the upper one.
        lower_boundary: Some(looks.iter().filter_map(|l| l.boundary.map(|b| -b)).collect()),
        // The naive test repeated at the experiment's own level (its stop marker uses the same α).
        naive_alpha: report.alpha,
        // For money the sd per user at each look is not in the report, so the line is left out.
        expected_at_true_effect: report
            .metric
            .is_binary()
            .then(|| looks.iter().map(|l| report.truth.effect / se(l).max(1e-12)).collect()),
        through: through.map(|t| t.clamp(1, looks.len())),
        valid_look: index_of(report.valid_day),
        naive_stop_look: index_of(report.naive_first_significant_day),
    })
}

/// Each arm's rate (or mean per user) with its 95 % interval, through `through` looks (`None`: all).
/// The report carries no per-arm counterfactual truth (only the effect, a difference), so none is drawn.
pub fn arm_chart(report: &ExperimentReport, through: Option<usize>) -> Option<ArmEstimates> {
    let looks = &report.looks;
    if looks.is_empty() {
        return None;
    }
    let binary = report.metric.is_binary();
    let arm = |i: usize| NamedCurve {
        name: report.arms[i].clone(),
        curve: Curve {
            x: looks.iter().map(|l| f64::from(l.day)).collect(),
            y: looks.iter().map(|l| l.rates[i]).collect(),
            band: Some(Band {
                lower: looks.iter().map(|l| report.shown_rate_intervals(l)[i][0]).collect(),
                upper: looks.iter().map(|l| report.shown_rate_intervals(l)[i][1]).collect(),
            }),
        },
    };
    Some(ArmEstimates {
        title: "Each arm so far".into(),
        x_label: "day of the experiment".into(),
        y_label: match report.metric {
            Metric::Conversion => "conversion rate".into(),
            Metric::Retention => "retention rate".into(),
            Metric::Revenue => "revenue per user".into(),
            Metric::Margin => "margin per user".into(),
        },
        arms: vec![arm(0), arm(1)],
        percent: binary,
        through: through.map(|t| t.clamp(1, looks.len())),
    })
}

/// The naive p-value path against α through `through` looks (`None`: all), with the valid
/// method's own p beside it: the always-valid p of mSPRT and confidence sequences, or for a
/// group-sequential design the nominal p of its boundary, 2(1 − Φ(b_k)) (the p a look's naive
/// test must beat to stop; Jennison & Turnbull 2000, §2.3).
pub fn p_value_chart(report: &ExperimentReport, through: Option<usize>) -> Option<PValuePath> {
    let looks = &report.looks;
    if looks.is_empty() {
        return None;
    }
    let index_of = |day: Option<u32>| day.and_then(|d| looks.iter().position(|l| l.day == d));
    let method_p = if looks.iter().any(|l| l.method_p.is_some()) {
        Some((
            format!("always-valid p ({})", report.method_title),
            looks.iter().map(|l| l.method_p.unwrap_or(f64::NAN)).collect(),
        ))
    } else if report.method != Method::Naive.label() && looks.iter().any(|l| l.boundary.is_some()) {
        let normal = Normal::standard();
        Some((
            "p the GST boundary demands".to_owned(),
            looks.iter().map(|l| l.boundary.map_or(f64::NAN, |b| 2.0 * normal.sf(b))).collect(),
        ))
    } else {
        None
    };
    Some(PValuePath {
        title: "Naive p-value day by day".into(),
        x_label: "day of the experiment".into(),
        looks: looks.iter().map(|l| f64::from(l.day)).collect(),
        naive_p: looks.iter().map(|l| l.naive_p).collect(),
        method_p,
        alpha: report.alpha,
        through: through.map(|t| t.clamp(1, looks.len())),
        naive_stop_look: index_of(report.naive_first_significant_day),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::api::{self, RunConfig};
    use crate::chart::{self, ImageFormat};

    fn report(file: &str) -> ExperimentReport {
        report_with(file, &[])
    }

    /// The experiment of `file` with each `(setting, value)`'s line rewritten.
    fn report_with(file: &str, settings: &[(&str, &str)]) -> ExperimentReport {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("simulations").join(file);
        let mut text = std::fs::read_to_string(path).expect("readable");
        for (setting, value) in settings {
            let line = text.lines().find(|l| l.starts_with(&format!("{setting} ="))).expect("the setting's line");
            text = text.replace(line, &format!("{setting} = {value}"));
        }
        let scenario = api::check_scenario(&text).expect("valid");
        let config = RunConfig { users: Some(3_000), ..RunConfig::default() };
        api::experiment(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("runs")
    }

    /// Every tag opened is closed in order (a well-formedness check without an XML crate).
    fn well_formed(svg: &str) -> bool {
        let mut open = Vec::new();
        for tag in svg.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
            let name = |t: &str| t.split_whitespace().next().unwrap_or("").to_owned();
            if let Some(closing) = tag.strip_prefix('/') {
                if open.pop() != Some(name(closing)) {
                    return false;
                }
            } else if !tag.ends_with('/') && !tag.starts_with('?') && !tag.starts_with('!') {
                open.push(name(tag));
            }
        }
        open.is_empty() && svg.trim_start().starts_with("<svg")
    }

    fn svgs(r: &ExperimentReport, through: Option<usize>) -> [String; 3] {
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("utf-8");
        let z = monitor_chart(r, through).expect("gst has a boundary");
        let arms = arm_chart(r, through).expect("looks");
        let p = p_value_chart(r, through).expect("looks");
        [
            text(chart::sequential_monitor(&z, ImageFormat::Svg).expect("drawn")),
            text(chart::arm_estimates(&arms, ImageFormat::Svg).expect("drawn")),
            text(chart::p_value_path(&p, ImageFormat::Svg).expect("drawn")),
        ]
    }

    #[test]
    fn the_companion_charts_draw_each_arm_and_the_p_value_path() {
        let r = report("experiment_ab.toml");
        let [_, arms, p] = svgs(&r, None);
        assert!(well_formed(&arms) && well_formed(&p));
        // Two arms, each a line with a shaded band (a filled polygon).
        assert!(arms.contains(&format!("{} (95 % interval shaded)", r.arms[0])));
        assert!(arms.contains(&format!("{} (95 % interval shaded)", r.arms[1])));
        assert!(arms.matches("<polygon").count() >= 2, "one band per arm");
        assert!(p.contains("naive p, tested every day") && p.contains("p = 0.05: the naive threshold"));
        assert!(p.contains("p the GST boundary demands"), "a GST draws its boundary's nominal p");
        let dips = r.looks.iter().filter(|l| l.naive_p < r.alpha).count();
        assert_eq!(p.contains("naive p &lt; 0.05"), dips > 0);
        if let Some(day) = r.naive_first_significant_day {
            assert!(p.contains(&format!("naive peeking stops (day {day})")));
        }
        // PNG export of both, at the companion size.
        let png = chart::p_value_path(&p_value_chart(&r, None).expect("looks"), ImageFormat::Png).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn a_rates_band_stays_within_0_and_1() {
        let r = report("experiment_ab.toml");
        assert!(r.looks.iter().any(|l| l.rate_intervals[0][0] < 0.0), "an early Wald interval reaches below 0");
        let arms = arm_chart(&r, None).expect("looks");
        for arm in &arms.arms {
            let band = arm.curve.band.as_ref().expect("band");
            assert!(band.lower.iter().chain(&band.upper).all(|v| (0.0..=1.0).contains(v)), "{}", arm.name);
        }
        // A mean's interval is left as computed.
        let revenue = report("experiment_revenue.toml");
        let look = &revenue.looks[0];
        assert_eq!(revenue.shown_rate_intervals(look), look.rate_intervals);
    }

    #[test]
    fn each_look_says_its_split_its_guardrails_and_what_is_still_needed() {
        let r = report("experiment_ab.toml");
        let last = r.looks.len() - 1;
        let end = r.status_at(last).expect("the last look");
        // The last look's status is the report's own.
        assert_eq!(end.srm, r.srm);
        assert_eq!(end.guardrails, r.guardrails);
        assert_eq!(end.not_yet, r.not_yet);
        assert!(r.status_at(last + 1).is_none());
        let first = r.status_at(0).expect("the first look");
        let srm = first.srm.expect("an SRM check");
        assert!(srm.p_value > 0.001 && !srm.mismatch, "a random 50/50 split: {srm:?}");
        assert_eq!(first.guardrails.len(), r.guardrails.len());
        // Early on, before any valid result, the planned size is far: users and days are still needed.
        let early = first.not_yet.expect("not yet on the first day");
        let look = &r.looks[0];
        assert_eq!(early.more_users, 2 * r.plan.n_needed_per_arm - (look.users[0] + look.users[1]));
        // Days at the pilot's pace: the users still needed over the users entering a day.
        let pace = (early.more_users as f64 / r.plan.daily_users).ceil() as u64;
        assert_eq!(early.more_days, Some(pace));
        assert!(pace > 0);
        // Needs shrink as users arrive, and vanish once the valid method has declared.
        let mid = r.status_at(last / 2).and_then(|s| s.not_yet).map_or(0, |n| n.more_users);
        assert!(mid < early.more_users);
        if let Some(day) = r.valid_day {
            let k = r.looks.iter().position(|l| l.day == day).expect("valid look");
            assert!(r.status_at(k).expect("status").not_yet.is_none());
        }
    }

    #[test]
    fn the_naive_claim_is_the_estimate_on_peekings_stop_day_beside_the_truth() {
        let r = report("experiment_ab.toml");
        let claim = r.naive_claim().expect("peeking stops in experiment_ab");
        let look = r.looks.iter().find(|l| l.naive_p < r.alpha).expect("a significant look");
        assert_eq!(claim.day, look.day);
        assert_eq!(claim.estimate, look.estimate);
        assert_eq!(claim.relative, Some(look.estimate / look.rates[0]));
        assert_eq!(claim.true_effect, r.truth.effect);
        let control = r.looks[r.looks.len() - 1].rates[0];
        assert_eq!(claim.true_relative, Some(r.truth.effect / control));
        // Peeking's winner's curse: what it claims overstates the truth.
        assert!(claim.estimate.abs() > claim.true_effect.abs());
        let mut never = r.clone();
        never.naive_first_significant_day = None;
        assert!(never.naive_claim().is_none());
    }

    #[test]
    fn the_naive_line_is_drawn_at_the_experiments_alpha() {
        let r = report_with("experiment_ab.toml", &[("alpha", "0.1")]);
        let z = monitor_chart(&r, None).expect("gst has a boundary");
        assert_eq!(z.naive_alpha, 0.1);
        let svg = String::from_utf8(chart::sequential_monitor(&z, ImageFormat::Svg).expect("drawn")).expect("utf-8");
        // z_{0.95} = 1.6449 (any normal table), not the 1.96 of α = 0.05.
        assert!(svg.contains("naive z = 1.64 (p &lt; 0.1 at every look)"), "the naive line follows α");
        // The marker where naive peeking stops uses the same level.
        let first = r.looks.iter().find(|l| l.naive_p < 0.1).map(|l| l.day);
        assert_eq!(r.naive_first_significant_day, first);
    }

    #[test]
    fn an_always_valid_method_draws_its_own_p() {
        let r = report_with("experiment_ab.toml", &[("method", "\"msprt\"")]);
        let p = p_value_chart(&r, None).expect("looks");
        let (label, values) = p.method_p.as_ref().expect("mSPRT has an always-valid p");
        assert!(label.starts_with("always-valid p"));
        // The always-valid p is a running minimum: it never rises.
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        assert!(!finite.is_empty() && finite.windows(2).all(|w| w[1] <= w[0]));
    }

    #[test]
    fn a_frame_through_day_d_uses_no_later_look() {
        let r = report("experiment_ab.toml");
        let n = r.looks.len();
        for through in [1, n / 3, n / 2, n - 1] {
            // Scramble every look after `through`: outcomes only (days and boundaries are the
            // design, fixed before any data). The frames through `through` must not change.
            let mut later = r.clone();
            for l in &mut later.looks[through..] {
                l.rates = [0.9, 0.01];
                l.rate_intervals = [[0.0, 1.0], [0.0, 1.0]];
                l.z = -5.5;
                l.naive_p = 1e-9;
                l.method_p = l.method_p.map(|_| 1e-9);
            }
            let (before, after) = (svgs(&r, Some(through)), svgs(&later, Some(through)));
            for (k, name) in ["z", "arms", "p"].iter().enumerate() {
                assert!(before[k] == after[k], "the {name} chart through look {through} changed with a later look");
            }
            let (next, next_later) = (svgs(&r, Some(through + 1)), svgs(&later, Some(through + 1)));
            assert!((0..3).all(|k| next[k] != next_later[k]), "the scramble shows one look later");
        }
    }
}
