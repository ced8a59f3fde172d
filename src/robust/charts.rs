//! The report as the chart module's data: per pair of journeys a "how often the winner holds"
//! chart, and per pair and metric a tornado of the parameters with the largest swings.

use super::{RobustReport, metric_label as label};
use crate::chart::{Chart, ChartError, ChartOptions, HoldsRow, HoldsShare, ImageFormat, Tornado, TornadoRow};

/// Rows of a tornado: the parameters with the largest swings.
pub const TORNADO_ROWS: usize = 12;

/// Which chart of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// How often each metric's winner holds, for journeys `a` vs `b` (names).
    Holds { a: String, b: String },
    /// The tornado of `report.pairs[pair]`.
    Tornado { pair: usize },
}

/// A chart and the file name (without extension) the CLI writes it under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFile {
    pub stem: String,
    /// The chart's own title (its caption in the app).
    pub title: String,
    pub kind: ChartKind,
}

/// A journey name for a file name: lower-case letters and digits, the rest as '-'.
fn slug(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

/// Every chart the report can draw: per pair (numbered in report order) its holds chart, then a
/// tornado per metric where some parameter moves the difference.
pub fn chart_files(report: &RobustReport) -> Vec<ChartFile> {
    let mut files = Vec::new();
    let mut number = 0;
    for (i, p) in report.pairs.iter().enumerate() {
        let prefix = |n: usize| format!("{n:02}-{}-vs-{}", slug(&p.a), slug(&p.b));
        if i == 0 || report.pairs[i - 1].a != p.a || report.pairs[i - 1].b != p.b {
            number += 1;
            if let Some(holds) = holds_data(report, &p.a, &p.b) {
                files.push(ChartFile {
                    stem: format!("{}-holds", prefix(number)),
                    title: holds.title,
                    kind: ChartKind::Holds { a: p.a.clone(), b: p.b.clone() },
                });
            }
        }
        if let Some(tornado) = tornado_data(report, i) {
            files.push(ChartFile {
                stem: format!("{}-tornado-{}", prefix(number), p.metric),
                title: tornado.title,
                kind: ChartKind::Tornado { pair: i },
            });
        }
    }
    files
}

fn tornado_data(report: &RobustReport, pair: usize) -> Option<Tornado> {
    let p = report.pairs.get(pair)?;
    let rows: Vec<TornadoRow> = p
        .tornado
        .iter()
        .filter(|t| t.swing() > 0.0)
        .take(TORNADO_ROWS)
        .filter_map(|t| Some(TornadoRow { name: t.parameter.clone(), low: t.low?, high: t.high? }))
        .collect();
    (!rows.is_empty()).then_some(())?;
    Some(Tornado {
        title: format!("{}: {} − {}", label(&p.metric), p.a, p.b),
        x_label: format!("{} difference, \"{}\" − \"{}\"", label(&p.metric), p.a, p.b),
        baseline: p.difference?,
        rows,
    })
}

fn holds_data(report: &RobustReport, a: &str, b: &str) -> Option<HoldsShare> {
    let rows: Vec<HoldsRow> = report
        .pairs
        .iter()
        .filter(|p| p.a == a && p.b == b)
        .map(|p| HoldsRow {
            label: format!("{}: {}", label(&p.metric), p.winner.as_deref().unwrap_or("tie")),
            holds: p.holds_share,
            unclear: p.unclear_share,
            reverses: p.reverses_share,
        })
        .collect();
    (!rows.is_empty()).then(|| HoldsShare { title: format!("How often the winner holds: {a} vs {b}"), rows })
}

/// One chart of the report as the chart module's data (draw it at any size and theme, or read its table);
/// None when the report has no such chart.
pub fn data(report: &RobustReport, kind: &ChartKind) -> Option<Box<dyn Chart>> {
    match kind {
        ChartKind::Holds { a, b } => Some(Box::new(holds_data(report, a, b)?)),
        ChartKind::Tornado { pair } => Some(Box::new(tornado_data(report, *pair)?)),
    }
}

/// Draws one chart of the report at its own size, in the light theme.
pub fn draw(report: &RobustReport, kind: &ChartKind, format: ImageFormat) -> Result<Vec<u8>, ChartError> {
    data(report, kind)
        .ok_or_else(|| ChartError::InvalidData(format!("the report has no chart {kind:?}")))?
        .render(format, &ChartOptions::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journey_names_become_file_names() {
        assert_eq!(slug("Reminder, then coupon!"), "reminder-then-coupon");
        assert_eq!(slug("no journey"), "no-journey");
    }
}
