//! The report in plain words — summary.md (one section per pair of journeys, one line per
//! metric) and the same lines for the app — and as a flat table, one row per pair and metric.

use std::fmt::Write as _;

use super::{PairReport, RobustReport, SensitivityMethod, metric_label as label};

/// `x` with three significant digits and its sign (differences of rates and of money alike).
fn signed(x: f64) -> String {
    let decimals = if x == 0.0 { 0 } else { (2 - x.abs().log10().floor() as i32).clamp(0, 8) as usize };
    format!("{x:+.decimals$}")
}

fn percent(share: f64) -> String {
    format!("{:.0} %", 100.0 * share)
}

/// How names are marked: journeys in bold and parameters as code in summary.md, plain in the app.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Markdown,
    Plain,
}

impl Style {
    fn journey(self, name: &str) -> String {
        if self == Style::Markdown { format!("**{name}**") } else { name.to_owned() }
    }

    fn parameter(self, name: &str) -> String {
        if self == Style::Markdown { format!("`{name}`") } else { name.to_owned() }
    }
}

/// "x and y" / "x, y and z".
fn names(list: &[&str], style: Style) -> String {
    match list {
        [] => String::new(),
        [one] => style.parameter(one),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter().map(|n| style.parameter(n)).collect::<Vec<_>>().join(", "),
            style.parameter(last)
        ),
    }
}

/// What the verdict hinges on: the two largest sensitivity indices (or, without them, the two
/// largest one-at-a-time swings), only those that move the difference at all.
fn hinge_parameters(p: &PairReport) -> Vec<&str> {
    if p.sensitivity.is_empty() {
        p.tornado.iter().filter(|t| t.swing() > 0.0).take(2).map(|t| t.parameter.as_str()).collect()
    } else {
        p.sensitivity.iter().filter(|s| s.index != 0.0).take(2).map(|s| s.parameter.as_str()).collect()
    }
}

fn hinges(p: &PairReport, style: Style) -> String {
    let top = hinge_parameters(p);
    if top.is_empty() {
        "no parameter moves it".into()
    } else {
        format!("the verdict hinges on {}", names(&top, style))
    }
}

/// One pair and metric in words, e.g. "reminder beats coupon on net margin per user in 97 % of
/// the plausible space (…); the verdict hinges on …".
fn sentence(md: &mut String, p: &PairReport, noise: u32, style: Style) -> std::fmt::Result {
    let metric = label(&p.metric);
    let j = |name: &str| style.journey(name);
    let loser = |w: &str| if w == p.a { &p.b } else { &p.a };
    match &p.winner {
        Some(w) => write!(
            md,
            "{} beats {} on {metric} in {} of the plausible space (reversed in {}, unclear in {}); {}.",
            j(w),
            j(loser(w)),
            percent(p.holds_share),
            percent(p.reverses_share),
            percent(p.unclear_share),
            hinges(p, style)
        )?,
        None => write!(
            md,
            "{} and {} tie on {metric} at the scenario's values; one of them is clearly ahead in {} of the plausible space; {}.",
            j(&p.a),
            j(&p.b),
            percent(p.reverses_share),
            hinges(p, style)
        )?,
    }
    if let (Some(d), Some(t)) = (p.difference, p.mc_threshold) {
        let bound = signed(t);
        write!(
            md,
            " A − B at the scenario's values: {} (Monte Carlo bound ±{})",
            signed(d),
            bound.trim_start_matches('+')
        )?;
        if t == 0.0 {
            write!(
                md,
                "; the two never differ there in {noise} replicates, so any difference elsewhere counts as clear"
            )?;
        } else if d != 0.0 && d.abs() <= t {
            write!(md, "; the verdict there is itself within Monte Carlo error")?;
        }
        write!(md, ".")?;
    }
    if let Some(top) = p.tornado.first().filter(|t| t.swing() > 0.0) {
        if let (Some(low), Some(high)) = (top.low, top.high) {
            write!(
                md,
                " One at a time, {} moves it from {} (low end) to {} (high end).",
                style.parameter(&top.parameter),
                signed(low),
                signed(high)
            )?;
        }
    }
    Ok(())
}

/// Each pair of the report (in report order) in plain words, as the app shows it.
pub fn pair_sentences(report: &RobustReport) -> Vec<String> {
    report
        .pairs
        .iter()
        .map(|p| {
            let mut text = String::new();
            let _ = sentence(&mut text, p, report.noise_replicates, Style::Plain);
            text
        })
        .collect()
}

/// A unit enum's name as robust.json writes it.
fn id<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// robust.csv: one row per pair and metric — the shares, the difference and its Monte Carlo
/// bound, what the verdict hinges on (';'-separated) and the largest one-at-a-time swing.
pub fn pairs_csv(report: &RobustReport) -> String {
    let mut csv = String::from(
        "a,b,metric,better,winner,difference,mc_threshold,holds_share,reverses_share,unclear_share,\
         sensitivity_method,r_squared,hinges_on,top_parameter,top_low,top_high\n",
    );
    let cell = |x: Option<f64>| x.map_or_else(String::new, |x| x.to_string());
    let name = |s: &str| s.replace(',', ";");
    for p in &report.pairs {
        let top = p.tornado.first().filter(|t| t.swing() > 0.0);
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            name(&p.a),
            name(&p.b),
            p.metric,
            id(&p.better),
            p.winner.as_deref().map(name).unwrap_or_default(),
            cell(p.difference),
            cell(p.mc_threshold),
            p.holds_share,
            p.reverses_share,
            p.unclear_share,
            id(&p.sensitivity_method),
            cell(p.r_squared),
            hinge_parameters(p).join(";"),
            top.map_or("", |t| t.parameter.as_str()),
            cell(top.and_then(|t| t.low)),
            cell(top.and_then(|t| t.high)),
        );
    }
    csv
}

/// summary.md: what was run, then per pair one line per metric.
pub fn summary_markdown(report: &RobustReport) -> String {
    let mut md = String::new();
    let _ = write_summary(&mut md, report);
    md
}

fn write_summary(md: &mut String, r: &RobustReport) -> std::fmt::Result {
    writeln!(md, "# Robustness: {}\n", r.scenario)?;
    let methods: Vec<SensitivityMethod> = r.pairs.iter().map(|p| p.sensitivity_method).collect();
    // The method of the pairs that had something to estimate (a constant difference has none).
    let method =
        methods.iter().find(|m| **m != SensitivityMethod::None).or(methods.first()).map_or("none", |m| m.describe());
    writeln!(
        md,
        "Every pair of journeys, compared with each of the {} `[model]` parameters at the low and the high end of its \
         plausible range (the tornado), and at {} joint points of a Latin hypercube over all the ranges at once (the \
         plausible space: every value of every range equally likely). {} replicate(s) of {} users over {} days per \
         point, seed {}, the same users and random streams at every point (common random numbers). The Monte Carlo \
         noise of each difference is measured over {} replicates at the scenario's values: a joint point counts only \
         when its difference exceeds that noise's 95 % bound; otherwise it is *unclear*. Which parameters matter: {} \
         of the difference on the parameters over the joint points (Saltelli et al. 2008, §1.2). Method: \
         docs/robustness.md.\n",
        r.parameters, r.samples, r.replicates, r.users, r.days, r.seed, r.noise_replicates, method
    )?;
    if methods.iter().any(|m| *m != methods[0]) {
        writeln!(
            md,
            "Where a difference never changes over the joint points (or has fewer than 3 values) there is nothing to \
             estimate: robust.json's `sensitivity_method` is then `none`.\n"
        )?;
    }
    let mut pairs = r.pairs.iter().peekable();
    while let Some(first) = pairs.peek() {
        let (a, b) = (first.a.clone(), first.b.clone());
        writeln!(md, "## {a} vs {b}\n")?;
        while let Some(p) = pairs.next_if(|p| p.a == a && p.b == b) {
            write!(md, "- ")?;
            sentence(md, p, r.noise_replicates, Style::Markdown)?;
            writeln!(md)?;
        }
        writeln!(md)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(signed(0.001234), "+0.00123");
        assert_eq!(signed(-12.345), "-12.3");
        assert_eq!(signed(0.0), "+0");
        assert_eq!(percent(0.968), "97 %");
        assert_eq!(names(&["a", "b"], Style::Markdown), "`a` and `b`");
        assert_eq!(names(&["a", "b", "c"], Style::Plain), "a, b and c");
    }
}
