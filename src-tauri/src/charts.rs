//! Charts for a run, drawn by the core's chart module.
//!
//! GAP: the core's `chart` module is not on this branch yet; until it is
//! merged, runs show no charts and chart export reports `charts.unavailable`.

use journeylab::api::RunResults;

use crate::dto::ChartDto;
use crate::error::{IpcError, IpcResult};

pub fn for_results(_results: &RunResults) -> Vec<ChartDto> {
    Vec::new()
}

pub fn export(_results: &RunResults, _chart: &str, _format: &str) -> IpcResult<Vec<u8>> {
    Err(IpcError::new("charts.unavailable", "Charts are not available in this build."))
}
