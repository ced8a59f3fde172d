//! A comparison's charts as the chart module's plain data: retention with the
//! sBG projection, cumulative margin, full-price share, discount cost against
//! what it brought in, and messages, opt-outs and uninstalls.

use super::PROJECT_DAYS;
use super::replicates::{Strategy, mean_interval, replicate_curve};
use crate::chart::{self, Band, Chart, ChartError, ChartOptions, Curve, ImageFormat, NamedCurve};
use crate::engine::Summary;
use crate::predict::Projected;
use crate::predict::retention::RetentionModel;

/// The charts of a comparison, in the order they are shown.
pub const IDS: [&str; 5] =
    ["retention", "cumulative_margin", "full_price_share", "discount_vs_revenue", "channel_activity"];

/// Every chart's data; the discount chart needs a baseline and a second journey.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareCharts {
    pub retention: chart::RetentionChart,
    pub margin: chart::CumulativeMargin,
    pub full_price: chart::FullPriceShare,
    pub discount: Option<chart::DiscountVsRevenue>,
    pub channels: chart::ChannelActivity,
}

/// Draws chart `id` (one of [`IDS`]) at its own size in the light theme; None if the comparison has no such chart.
pub fn draw(charts: &CompareCharts, id: &str, format: ImageFormat) -> Option<Result<Vec<u8>, ChartError>> {
    Some(get(charts, id)?.render(format, &ChartOptions::default()))
}

/// Chart `id` (one of [`IDS`]) as the chart module's data: draw it at any size and theme, or read its table.
pub fn get<'a>(charts: &'a CompareCharts, id: &str) -> Option<&'a dyn Chart> {
    Some(match id {
        "retention" => &charts.retention,
        "cumulative_margin" => &charts.margin,
        "full_price_share" => &charts.full_price,
        "discount_vs_revenue" => charts.discount.as_ref()?,
        "channel_activity" => &charts.channels,
        _ => return None,
    })
}

/// The mean of the replicates' projections, with the mean of their interval edges.
fn projection(s: &Strategy, days: usize) -> Option<Curve> {
    if s.projected.is_empty() || days >= PROJECT_DAYS {
        return None;
    }
    let n = s.projected.len() as f64;
    let mean = |f: &dyn Fn(&Projected) -> f64| -> Vec<f64> {
        (0..PROJECT_DAYS - days).map(|i| s.projected.iter().map(|p| f(&p[i])).sum::<f64>() / n).collect()
    };
    Some(Curve {
        x: (days..PROJECT_DAYS).map(|k| k as f64).collect(),
        y: mean(&|p| p.value),
        band: Some(Band { lower: mean(&|p| p.lower), upper: mean(&|p| p.upper) }),
    })
}

/// The model(s) behind every strategy's projection: `sBG`, `BdW`, or `sBG/BdW` when they differ.
fn projection_models(strategies: &[Strategy]) -> &'static str {
    let all = || strategies.iter().flat_map(|s| &s.models);
    match (all().any(|m| *m == RetentionModel::Sbg), all().any(|m| *m == RetentionModel::Bdw)) {
        (false, true) => "BdW",
        (true, true) => "sBG/BdW",
        _ => "sBG",
    }
}

pub(super) fn build(scenario: &str, currency: &str, strategies: &[Strategy], days: usize) -> CompareCharts {
    let ages: Vec<f64> = (0..days).map(|k| k as f64).collect();
    let retention = chart::RetentionChart {
        title: format!("Survival (not yet lost): {scenario}"),
        projection_label: format!("{} projection (95 % interval)", projection_models(strategies)),
        strategies: strategies
            .iter()
            .map(|s| chart::RetentionStrategy {
                name: s.name.clone(),
                simulated: replicate_curve(ages.clone(), &s.retained),
                projected: projection(s, days),
            })
            .collect(),
    };
    let named = |s: &Strategy, curve: Curve| NamedCurve { name: s.name.clone(), curve };
    let margin = chart::CumulativeMargin {
        title: "Cumulative gross margin per user".into(),
        currency: currency.to_owned(),
        strategies: strategies.iter().map(|s| named(s, replicate_curve(ages.clone(), &s.margin))).collect(),
    };
    let weeks: Vec<f64> = (0..days / 7).map(|w| w as f64).collect();
    let full_price = chart::FullPriceShare {
        title: "Share of purchases at full price, by week".into(),
        strategies: strategies.iter().map(|s| named(s, replicate_curve(weeks.clone(), &s.weekly_full_price))).collect(),
    };
    CompareCharts {
        retention,
        margin,
        full_price,
        discount: discount(strategies, currency),
        channels: channels(strategies),
    }
}

/// Each journey's discount cost against its revenue and margin over the first journey (paired by replicate).
fn discount(strategies: &[Strategy], currency: &str) -> Option<chart::DiscountVsRevenue> {
    let (baseline, others) = strategies.split_first()?;
    if others.is_empty() {
        return None;
    }
    Some(chart::DiscountVsRevenue {
        title: "Discount cost against what it brought in".into(),
        currency: currency.to_owned(),
        baseline: baseline.name.clone(),
        strategies: others
            .iter()
            .map(|s| {
                let paired = |f: &dyn Fn(&Summary) -> f64| {
                    let d: Vec<f64> = s.summaries.iter().zip(&baseline.summaries).map(|(a, b)| f(a) - f(b)).collect();
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
    })
}

fn channels(strategies: &[Strategy]) -> chart::ChannelActivity {
    chart::ChannelActivity {
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
    }
}
