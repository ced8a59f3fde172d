//! A run's charts, drawn by the core's chart module: SVG for the app, SVG or PNG for export.

use journeylab::api::{self, ImageFormat, RUN_CHARTS, RunResults};

use crate::dto::ChartDto;
use crate::error::{IpcError, IpcResult};

/// Every chart of the run as SVG; a chart that cannot be drawn is left out.
pub fn for_results(results: &RunResults) -> Vec<ChartDto> {
    RUN_CHARTS
        .iter()
        .filter_map(|id| api::run_chart(results, id, ImageFormat::Svg).ok())
        .map(|c| ChartDto { id: c.id.to_owned(), title: c.title, svg: String::from_utf8_lossy(&c.bytes).into_owned() })
        .collect()
}

/// One chart's bytes for export.
pub fn export(results: &RunResults, chart: &str, format: &str) -> IpcResult<Vec<u8>> {
    let format = if format == "png" { ImageFormat::Png } else { ImageFormat::Svg };
    api::run_chart(results, chart, format).map(|c| c.bytes).map_err(|e| IpcError::new("chart.failed", e.to_string()))
}
