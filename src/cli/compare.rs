//! `journeylab compare`: every strategy of a scenario over R replicates, with
//! retention projected 12 months out (sBG, docs/predict.md), every chart as SVG
//! and PNG, a CSV per series and summary.md with the headline numbers.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use journeylab::api::{self, RunConfig, RunResults};
use journeylab::chart::{self, Band, Curve, ImageFormat, NamedCurve};
use journeylab::engine::JourneyResults;
use journeylab::engine::PurchaseHistory;
use journeylab::predict::{Projected, bgnbd, sbg};
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::BadInput;

/// Days after arrival the retention projection reaches (12 months).
const PROJECT_DAYS: usize = 365;
/// Customers whose purchase histories the BG/NBD is fitted to, per strategy and replicate
/// (a sample keeps memory bounded; the fit's standard errors shrink as 1/√n).
const BGNBD_SAMPLE: u32 = 5_000;
/// The BG/NBD's projection period in weeks (12 months).
const PROJECT_WEEKS: f64 = 52.0;
const HOURS_PER_WEEK: f64 = 168.0;

#[derive(Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Folder for the charts, CSVs and summary.md (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Replicates: fresh users and noise from the same seed; intervals come from their spread.
    #[arg(long, default_value_t = 5)]
    replications: u64,
    /// Override the number of simulated users per replicate.
    #[arg(long)]
    users: Option<u32>,
}

/// Mean and 95 % t-interval of replicate values (the interval collapses with one replicate).
fn mean_interval(values: &[f64]) -> Projected {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Projected { value: mean, lower: mean, upper: mean };
    }
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let t = StudentsT::new(0.0, 1.0, n - 1.0).map_or(1.96, |d| d.inverse_cdf(0.975));
    Projected { value: mean, lower: mean - t * sd / n.sqrt(), upper: mean + t * sd / n.sqrt() }
}

/// A curve from replicate series of equal length: mean with a 95 % band.
fn replicate_curve(x: Vec<f64>, replicates: &[Vec<f64>]) -> Curve {
    let points: Vec<Projected> =
        (0..x.len()).map(|i| mean_interval(&replicates.iter().map(|r| r[i]).collect::<Vec<_>>())).collect();
    Curve {
        x,
        y: points.iter().map(|p| p.value).collect(),
        band: Some(Band {
            lower: points.iter().map(|p| p.lower).collect(),
            upper: points.iter().map(|p| p.upper).collect(),
        }),
    }
}

/// The sBG fitted to one journey's risk sets (None when the data cannot be fitted).
fn fit_retention(journey: &JourneyResults) -> Option<sbg::SbgFit> {
    sbg::fit(&sbg::Cohort::from_retention(&journey.retention).ok()?).ok()
}

/// Per strategy, everything the charts and the summary need, one entry per replicate.
#[derive(Default)]
struct Strategy {
    name: String,
    retained: Vec<Vec<f64>>,
    projected: Vec<Vec<Projected>>,
    margin: Vec<Vec<f64>>,
    weekly_full_price: Vec<Vec<f64>>,
    summaries: Vec<journeylab::engine::Summary>,
    channels: Vec<[(f64, f64); 4]>,
    /// Per replicate: BG/NBD expected purchases per customer in the next 12 months, and mean P(alive).
    expected_purchases: Vec<f64>,
    p_alive: Vec<f64>,
}

/// BG/NBD customers from simulated histories: users with at least one purchase before the end of
/// calibration, time in weeks from their first purchase (the `lifetimes` convention).
fn customers(histories: &[PurchaseHistory]) -> Vec<bgnbd::Customer> {
    histories
        .iter()
        .filter_map(|h| {
            let (first, last) = (h.first?, h.last?);
            let age = f64::from(h.end - first) / HOURS_PER_WEEK;
            (age > 0.0).then(|| bgnbd::Customer {
                frequency: h.count - 1,
                recency: f64::from(last - first) / HOURS_PER_WEEK,
                age,
            })
        })
        .collect()
}

/// Fits the BG/NBD to one strategy's sample; returns the fit and its customers.
fn fit_purchases(histories: &[PurchaseHistory]) -> Option<(bgnbd::BgNbdFit, Vec<bgnbd::Customer>)> {
    let customers = customers(histories);
    let fit = bgnbd::fit(&customers).ok()?;
    Some((fit, customers))
}

impl Strategy {
    fn add(&mut self, j: &JourneyResults, days: usize) {
        let users = j.summary.users.max(1) as f64;
        self.retained.push(j.retention.retained.clone());
        if let Some(fit) = fit_retention(j) {
            self.projected.push((days..PROJECT_DAYS).map(|k| fit.project((k + 1) as f64)).collect());
        }
        self.margin.push(
            j.series
                .gross_margin
                .iter()
                .scan(0.0, |c, v| {
                    *c += v / users;
                    Some(*c)
                })
                .collect(),
        );
        let weeks = days / 7;
        self.weekly_full_price.push(
            (0..weeks)
                .map(|w| {
                    let full: u64 = j.series.full_price_purchases[7 * w..7 * w + 7].iter().sum();
                    let all: u64 = j.series.conversions[7 * w..7 * w + 7].iter().sum();
                    if all > 0 { full as f64 / all as f64 } else { f64::NAN }
                })
                .collect(),
        );
        let mut channels = [(0.0, 0.0); 4];
        for (slot, c) in channels.iter_mut().zip(&j.channels) {
            *slot = (c.sent as f64 / users, 1000.0 * c.opt_outs as f64 / users);
        }
        self.channels.push(channels);
        self.summaries.push(j.summary.clone());
    }

    fn metric(&self, f: impl Fn(&journeylab::engine::Summary) -> f64) -> Vec<f64> {
        self.summaries.iter().map(f).collect()
    }

    fn projected_12_months(&self) -> Vec<f64> {
        self.projected.iter().filter_map(|p| p.last().map(|q| q.value)).collect()
    }
}

pub fn compare(args: CompareArgs) -> anyhow::Result<ExitCode> {
    if args.replications == 0 || args.replications > 1000 || args.users == Some(0) {
        return Err(BadInput("--replications must be 1 … 1000 and --users at least 1".into()).into());
    }
    let scenario = super::run::load(&args.scenario)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let cancel = AtomicBool::new(false);
    let runs: Vec<RunResults> = (0..args.replications)
        .map(|replicate| {
            api::run(&scenario, &RunConfig { users: args.users, replicate, ..RunConfig::default() }, &|_| {}, &cancel)
        })
        .collect::<Result<_, _>>()?;
    let days = runs[0].days as usize;
    let mut strategies: Vec<Strategy> =
        runs[0].journeys.iter().map(|j| Strategy { name: j.name.clone(), ..Strategy::default() }).collect();
    for run in &runs {
        for (s, j) in strategies.iter_mut().zip(&run.journeys) {
            s.add(j, days);
        }
    }
    for (journey, s) in strategies.iter_mut().enumerate() {
        for replicate in 0..args.replications {
            let config = RunConfig { users: args.users, replicate, ..RunConfig::default() };
            let histories = api::purchase_histories(&scenario, &config, journey, BGNBD_SAMPLE, days as u32, &cancel)?;
            if let Some((fit, customers)) = fit_purchases(&histories) {
                let params = fit.params();
                let n = customers.len() as f64;
                s.expected_purchases
                    .push(customers.iter().map(|c| params.conditional_expected(c, PROJECT_WEEKS)).sum::<f64>() / n);
                s.p_alive.push(customers.iter().map(|c| params.p_alive(c)).sum::<f64>() / n);
            }
        }
    }
    let longer = if days < PROJECT_DAYS {
        let config = RunConfig { users: args.users, days: Some(PROJECT_DAYS as u32), ..RunConfig::default() };
        Some(api::run(&scenario, &config, &|_| {}, &cancel)?)
    } else {
        None
    };
    write_charts(&args.out, &scenario.simulation.name, &strategies, days)?;
    write_csvs(&args.out, &strategies, days)?;
    let purchases_check = purchase_check(&scenario, &args, &strategies, days, &cancel)?;
    let summary = summary_markdown(
        &scenario.simulation.name,
        &strategies,
        days,
        args.replications,
        longer.as_ref(),
        Some(&purchases_check),
    )?;
    std::fs::write(args.out.join("summary.md"), &summary)?;
    super::say(&summary);
    Ok(ExitCode::SUCCESS)
}

/// Runs the sampled users 52 weeks past the horizon and compares each strategy's BG/NBD prediction
/// (fitted on the horizon) with the purchases they really made afterwards.
fn purchase_check(
    scenario: &api::Scenario,
    args: &CompareArgs,
    strategies: &[Strategy],
    days: usize,
    cancel: &AtomicBool,
) -> anyhow::Result<Vec<(String, usize, f64, f64)>> {
    let longer_days = days as u32 + PROJECT_WEEKS as u32 * 7;
    let config = RunConfig { users: args.users, days: Some(longer_days), ..RunConfig::default() };
    let mut rows = Vec::new();
    for (journey, s) in strategies.iter().enumerate() {
        let histories = api::purchase_histories(scenario, &config, journey, BGNBD_SAMPLE, days as u32, cancel)?;
        let Some((fit, customers)) = fit_purchases(&histories) else { continue };
        let params = fit.params();
        let predicted = customers.iter().map(|c| params.conditional_expected(c, PROJECT_WEEKS)).sum::<f64>();
        let simulated: u32 = histories.iter().filter(|h| h.first.is_some()).map(|h| h.later).sum();
        let n = customers.len().max(1) as f64;
        rows.push((s.name.clone(), customers.len(), predicted / n, f64::from(simulated) / n));
    }
    Ok(rows)
}

fn save(
    dir: &Path,
    name: &str,
    render: impl Fn(ImageFormat) -> Result<Vec<u8>, chart::ChartError>,
) -> anyhow::Result<()> {
    for format in [ImageFormat::Svg, ImageFormat::Png] {
        let path = dir.join(format!("{name}.{}", format.extension()));
        std::fs::write(&path, render(format)?).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn write_charts(dir: &Path, scenario: &str, strategies: &[Strategy], days: usize) -> anyhow::Result<()> {
    let ages: Vec<f64> = (0..days).map(|k| k as f64).collect();
    let retention = chart::RetentionChart {
        title: format!("Retention: {scenario}"),
        projection_label: "sBG projection (95 % interval)".into(),
        strategies: strategies
            .iter()
            .map(|s| chart::RetentionStrategy {
                name: s.name.clone(),
                simulated: replicate_curve(ages.clone(), &s.retained),
                projected: (!s.projected.is_empty()).then(|| {
                    let n = s.projected.len() as f64;
                    let mean = |f: &dyn Fn(&Projected) -> f64| -> Vec<f64> {
                        (0..PROJECT_DAYS - days)
                            .map(|i| s.projected.iter().map(|p| f(&p[i])).sum::<f64>() / n)
                            .collect()
                    };
                    Curve {
                        x: (days..PROJECT_DAYS).map(|k| k as f64).collect(),
                        y: mean(&|p| p.value),
                        band: Some(Band { lower: mean(&|p| p.lower), upper: mean(&|p| p.upper) }),
                    }
                }),
            })
            .collect(),
    };
    save(dir, "retention", |f| chart::retention_curves(&retention, f))?;
    let named = |s: &Strategy, curve: Curve| NamedCurve { name: s.name.clone(), curve };
    let margin = chart::CumulativeMargin {
        title: "Cumulative gross margin per user".into(),
        currency: "currency units".into(),
        strategies: strategies.iter().map(|s| named(s, replicate_curve(ages.clone(), &s.margin))).collect(),
    };
    save(dir, "cumulative_margin", |f| chart::cumulative_margin(&margin, f))?;
    let weeks: Vec<f64> = (0..days / 7).map(|w| w as f64).collect();
    let share = chart::FullPriceShare {
        title: "Share of purchases at full price, by week".into(),
        strategies: strategies.iter().map(|s| named(s, replicate_curve(weeks.clone(), &s.weekly_full_price))).collect(),
    };
    save(dir, "full_price_share", |f| chart::full_price_share(&share, f))?;
    if let Some((baseline, others)) = strategies.split_first() {
        let discount = chart::DiscountVsRevenue {
            title: "Discount cost against what it brought in".into(),
            currency: "currency units".into(),
            baseline: baseline.name.clone(),
            strategies: others
                .iter()
                .map(|s| {
                    let paired = |f: &dyn Fn(&journeylab::engine::Summary) -> f64| {
                        let d: Vec<f64> =
                            s.summaries.iter().zip(&baseline.summaries).map(|(a, b)| f(a) - f(b)).collect();
                        mean_interval(&d)
                    };
                    let cost = mean_interval(&s.metric(|m| m.discount_cost_per_user));
                    let revenue = paired(&|m| m.revenue_per_user);
                    let margin = paired(&|m| m.gross_margin_per_user);
                    chart::DiscountBar {
                        name: s.name.clone(),
                        discount_cost: cost.value,
                        incremental_revenue: revenue.value,
                        incremental_margin: margin.value,
                        intervals: Some([
                            (cost.lower, cost.upper),
                            (revenue.lower, revenue.upper),
                            (margin.lower, margin.upper),
                        ]),
                    }
                })
                .collect(),
        };
        if !discount.strategies.is_empty() {
            save(dir, "discount_vs_revenue", |f| chart::discount_vs_revenue(&discount, f))?;
        }
    }
    let channels = chart::ChannelActivity {
        title: "Messages, opt-outs and uninstalls".into(),
        channels: ["push", "in-app", "email", "SMS"].map(String::from).to_vec(),
        strategies: strategies
            .iter()
            .map(|s| {
                let n = s.channels.len().max(1) as f64;
                let per = |f: &dyn Fn(&(f64, f64)) -> f64| {
                    (0..4).map(|c| s.channels.iter().map(|r| f(&r[c])).sum::<f64>() / n).collect()
                };
                chart::ChannelStrategy {
                    name: s.name.clone(),
                    messages_per_user: per(&|v| v.0),
                    opt_outs_per_1000: per(&|v| v.1),
                    uninstalls_per_1000: 1000.0 * mean_interval(&s.metric(|m| m.uninstall_rate)).value,
                }
            })
            .collect(),
    };
    save(dir, "channel_activity", |f| chart::channel_activity(&channels, f))
}

/// One CSV per chart: strategy, x, mean, lower, upper.
fn write_csvs(dir: &Path, strategies: &[Strategy], days: usize) -> anyhow::Result<()> {
    let write = |name: &str, x_name: &str, rows: &dyn Fn(&Strategy) -> Vec<(f64, Projected)>| -> anyhow::Result<()> {
        let mut csv = format!("strategy,{x_name},mean,lower,upper\n");
        for s in strategies {
            for (x, p) in rows(s) {
                writeln!(csv, "{},{x},{},{},{}", s.name.replace(',', ";"), p.value, p.lower, p.upper)?;
            }
        }
        std::fs::write(dir.join(name), csv).with_context(|| format!("writing {name}"))
    };
    let by_index = |replicates: &[Vec<f64>], len: usize| -> Vec<(f64, Projected)> {
        (0..len).map(|i| (i as f64, mean_interval(&replicates.iter().map(|r| r[i]).collect::<Vec<_>>()))).collect()
    };
    write("retention_simulated.csv", "age_day", &|s| by_index(&s.retained, days))?;
    write("retention_projected.csv", "age_day", &|s| {
        let n = s.projected.len().max(1) as f64;
        (0..PROJECT_DAYS.saturating_sub(days).min(s.projected.first().map_or(0, Vec::len)))
            .map(|i| {
                let avg = |f: &dyn Fn(&Projected) -> f64| s.projected.iter().map(|p| f(&p[i])).sum::<f64>() / n;
                (
                    (days + i) as f64,
                    Projected { value: avg(&|p| p.value), lower: avg(&|p| p.lower), upper: avg(&|p| p.upper) },
                )
            })
            .collect()
    })?;
    write("cumulative_margin.csv", "day", &|s| by_index(&s.margin, days))?;
    write("full_price_share.csv", "week", &|s| by_index(&s.weekly_full_price, days / 7))?;
    write("headline.csv", "metric_index", &|s| {
        headline_metrics().iter().enumerate().map(|(i, (_, f))| (i as f64, mean_interval(&f(s)))).collect()
    })
}

type Metric = (&'static str, fn(&Strategy) -> Vec<f64>);

/// The headline metrics, higher is better for each.
fn headline_metrics() -> [Metric; 8] {
    [
        ("still active at D30 (Kaplan–Meier)", |s| {
            s.retained.iter().map(|r| r.get(30).copied().unwrap_or(f64::NAN)).collect()
        }),
        ("still active at D90 (Kaplan–Meier)", |s| {
            s.retained.iter().map(|r| r.get(90).copied().unwrap_or(f64::NAN)).collect()
        }),
        ("projected still active at 12 months (sBG)", Strategy::projected_12_months),
        ("net margin per user", |s| s.metric(|m| m.net_margin_per_user)),
        ("revenue per user", |s| s.metric(|m| m.revenue_per_user)),
        ("full-price share of purchases", |s| s.metric(|m| m.full_price_share.unwrap_or(f64::NAN))),
        ("BG/NBD: expected purchases per customer, next 12 months", |s| s.expected_purchases.clone()),
        ("BG/NBD: share of customers still alive", |s| s.p_alive.clone()),
    ]
}

fn summary_markdown(
    scenario: &str,
    strategies: &[Strategy],
    days: usize,
    replications: u64,
    longer: Option<&RunResults>,
    purchases_check: Option<&[(String, usize, f64, f64)]>,
) -> anyhow::Result<String> {
    let mut md = String::new();
    writeln!(md, "# {scenario}\n")?;
    writeln!(
        md,
        "{replications} replicate(s) of {} users over {days} days; means with 95 % t-intervals across replicates. \
         Retention projected to 12 months by an sBG fitted to each replicate's daily risk sets (docs/predict.md).\n",
        strategies.first().and_then(|s| s.summaries.first()).map_or(0, |m| m.users)
    )?;
    write!(md, "| metric |")?;
    strategies.iter().try_for_each(|s| write!(md, " {} |", s.name))?;
    writeln!(md, " winner |")?;
    writeln!(md, "|---|{}---|", "---|".repeat(strategies.len()))?;
    for (label, metric) in headline_metrics() {
        let values: Vec<Vec<f64>> = strategies.iter().map(metric).collect();
        write!(md, "| {label} |")?;
        for v in &values {
            let p = mean_interval(v);
            if p.value.is_finite() {
                write!(md, " {:.4} [{:.4}, {:.4}] |", p.value, p.lower, p.upper)?;
            } else {
                write!(md, " n/a |")?;
            }
        }
        writeln!(md, " {} |", winner(strategies, &values))?;
    }
    if let Some(long) = longer {
        writeln!(md, "\n## Projection against a longer simulation\n")?;
        writeln!(
            md,
            "One replicate run to {PROJECT_DAYS} days; its Kaplan–Meier share still active at the last observed age against the sBG fitted to the first {days} days of the same run.\n"
        )?;
        writeln!(md, "| strategy | age (days) | simulated | projected [95 %] | inside? |\n|---|---|---|---|---|")?;
        for j in &long.journeys {
            let mut short = j.clone();
            short.retention.at_risk.truncate(days);
            short.retention.lost.truncate(days);
            let Some(k) = j.retention.at_risk.iter().rposition(|&n| n > 0) else { continue };
            let Some(fit) = fit_retention(&short) else { continue };
            let p = fit.project((k + 1) as f64);
            let s = j.retention.retained[k];
            let inside = if (p.lower..=p.upper).contains(&s) { "yes" } else { "no" };
            writeln!(md, "| {} | {k} | {s:.4} | {:.4} [{:.4}, {:.4}] | {inside} |", j.name, p.value, p.lower, p.upper)?;
        }
    }
    if let Some(check) = purchases_check {
        writeln!(md, "\n## Purchase projection against a longer simulation\n")?;
        writeln!(
            md,
            "The same {BGNBD_SAMPLE} users run for another 52 weeks: the BG/NBD fitted to their first {days} days predicts each customer's purchases in those weeks (eq. 10, Fader, Hardie & Lee 2005); the simulation counts them.\n"
        )?;
        writeln!(md, "| strategy | customers | predicted per customer | simulated per customer |\n|---|---|---|---|")?;
        for (name, customers, predicted, simulated) in check {
            writeln!(md, "| {name} | {customers} | {predicted:.4} | {simulated:.4} |")?;
        }
    }
    Ok(md)
}

/// The best strategy by mean, if its paired lead over the runner-up is beyond the 95 % interval.
fn winner(strategies: &[Strategy], values: &[Vec<f64>]) -> String {
    let means: Vec<f64> = values.iter().map(|v| mean_interval(v).value).collect();
    let mut order: Vec<usize> = (0..means.len()).filter(|&i| means[i].is_finite()).collect();
    order.sort_by(|&a, &b| means[b].total_cmp(&means[a]));
    match order.as_slice() {
        [] => "n/a".into(),
        [only] => strategies[*only].name.clone(),
        [best, second, ..] => {
            let d: Vec<f64> = values[*best].iter().zip(&values[*second]).map(|(a, b)| a - b).collect();
            let lead = mean_interval(&d);
            if lead.lower > 0.0 {
                format!("{} (+{:.4} [{:.4}, {:.4}])", strategies[*best].name, lead.value, lead.lower, lead.upper)
            } else {
                format!(
                    "no clear winner ({} leads by {:.4} [{:.4}, {:.4}])",
                    strategies[*best].name, lead.value, lead.lower, lead.upper
                )
            }
        }
    }
}
