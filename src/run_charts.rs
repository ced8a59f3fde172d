//! The charts of one run: plain data for the [`crate::chart`] functions, taken
//! from [`RunResults`]. SVG for the app, PNG (or SVG) for export.

use crate::chart::{self, Chart, ChartError, ChartOptions, Curve, DataTable, ImageFormat, NamedCurve};
use crate::engine::RunResults;

/// A drawn chart.
pub struct RunChart {
    /// Stable id: `retention`, `cumulative_margin`, `channels`.
    pub id: &'static str,
    pub title: String,
    pub bytes: Vec<u8>,
}

/// Every chart of a run.
pub const IDS: [&str; 3] = ["retention", "cumulative_margin", "channels"];

/// Draws the chart `id` of `results` at the chart's own size, in the light theme.
pub fn draw(results: &RunResults, id: &str, format: ImageFormat) -> Result<RunChart, ChartError> {
    draw_with(results, id, format, &ChartOptions::default())
}

/// Draws the chart `id` of `results` at `options`' size and theme.
pub fn draw_with(
    results: &RunResults,
    id: &str,
    format: ImageFormat,
    options: &ChartOptions,
) -> Result<RunChart, ChartError> {
    let (id, title, data) = data(results, id)?;
    Ok(RunChart { id, title, bytes: data.render(format, options)? })
}

/// The values chart `id` of `results` draws, as a table.
pub fn table(results: &RunResults, id: &str) -> Result<DataTable, ChartError> {
    Ok(data(results, id)?.2.table())
}

/// Chart `id`'s id, title and data.
fn data(results: &RunResults, id: &str) -> Result<(&'static str, String, Box<dyn Chart>), ChartError> {
    let journeys = &results.journeys;
    Ok(match id {
        "retention" => {
            let title = "Survival (not yet lost), by days since arrival".to_owned();
            let data = chart::RetentionChart {
                title: title.clone(),
                projection_label: String::new(),
                strategies: journeys
                    .iter()
                    .map(|j| chart::RetentionStrategy {
                        name: j.name.clone(),
                        simulated: Curve {
                            x: (0..j.retention.retained.len()).map(|k| k as f64).collect(),
                            y: j.retention.retained.clone(),
                            band: None,
                        },
                        projected: None,
                    })
                    .collect(),
            };
            (IDS[0], title, Box::new(data))
        }
        "cumulative_margin" => {
            let title = "Cumulative gross margin per user".to_owned();
            let users = f64::from(results.users.max(1));
            let data = chart::CumulativeMargin {
                title: title.clone(),
                currency: results.currency.clone(),
                strategies: journeys
                    .iter()
                    .map(|j| {
                        let y: Vec<f64> = j
                            .series
                            .gross_margin
                            .iter()
                            .scan(0.0, |total, m| {
                                *total += m / users;
                                Some(*total)
                            })
                            .collect();
                        let x = (0..y.len()).map(|d| d as f64).collect();
                        NamedCurve { name: j.name.clone(), curve: Curve { x, y, band: None } }
                    })
                    .collect(),
            };
            (IDS[1], title, Box::new(data))
        }
        "channels" => {
            let title = "Messages, opt-outs and uninstalls".to_owned();
            let users = f64::from(results.users.max(1));
            let data = chart::ChannelActivity {
                title: title.clone(),
                channels: ["push", "in-app", "email", "SMS"].map(String::from).to_vec(),
                strategies: journeys
                    .iter()
                    .map(|j| chart::ChannelStrategy {
                        name: j.name.clone(),
                        messages_per_user: j.channels.iter().map(|c| c.sent as f64 / users).collect(),
                        opt_outs_per_1000: j.channels.iter().map(|c| 1000.0 * c.opt_outs as f64 / users).collect(),
                        uninstalls_per_1000: 1000.0 * j.summary.uninstall_rate,
                    })
                    .collect(),
            };
            (IDS[2], title, Box::new(data))
        }
        other => return Err(ChartError::InvalidData(format!("no run chart {other:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;
    use crate::engine::RunConfig;

    #[test]
    fn every_run_chart_draws_as_svg_and_png() {
        let scenario = crate::api::check_scenario(crate::library::EXAMPLES[0].text).expect("valid");
        let config = RunConfig { users: Some(400), days: Some(15), seed: None, threads: Some(1), replicate: 0 };
        let results = crate::api::run(&scenario, &config, &|_| {}, &AtomicBool::new(false)).expect("run");
        for id in IDS {
            let svg = draw(&results, id, ImageFormat::Svg).expect("svg");
            let text = String::from_utf8(svg.bytes).expect("utf-8");
            assert!(text.starts_with("<svg"), "{id}");
            assert!(text.contains(&results.journeys[1].name), "{id}: legend names the journeys");
            let png = draw(&results, id, ImageFormat::Png).expect("png");
            assert_eq!(&png.bytes[..4], b"\x89PNG", "{id}");
        }
        assert!(draw(&results, "nope", ImageFormat::Svg).is_err());
    }
}
