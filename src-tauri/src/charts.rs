//! Charts drawn by the core's chart module: a run's and a comparison's (SVG for
//! the app, SVG or PNG for export) and the segments' trait sparklines.

use journeylab::api::{self, COMPARE_CHARTS, CompareReport, ImageFormat, RUN_CHARTS, RunResults, Scenario};

use crate::dto::{ChartDto, SegmentTraitsDto, TraitDto};
use crate::error::{ErrorCode, IpcError, IpcResult};

/// Every chart of the run as SVG; a chart that cannot be drawn is left out.
pub fn for_results(results: &RunResults) -> Vec<ChartDto> {
    RUN_CHARTS
        .iter()
        .filter_map(|id| api::run_chart(results, id, ImageFormat::Svg).ok())
        .map(|c| ChartDto { id: c.id.to_owned(), title: c.title, svg: String::from_utf8_lossy(&c.bytes).into_owned() })
        .collect()
}

/// Every chart of a comparison as SVG, captioned with the core's title; a chart it does not have (one
/// journey: no discount chart) is left out.
pub fn for_comparison(report: &CompareReport) -> Vec<ChartDto> {
    COMPARE_CHARTS
        .iter()
        .filter_map(|id| {
            let title = api::compare_chart_data(report, id)?.table().title;
            let svg = api::compare_chart(report, id, ImageFormat::Svg)?.ok()?;
            Some(ChartDto { id: (*id).to_owned(), title, svg: String::from_utf8_lossy(&svg).into_owned() })
        })
        .collect()
}

/// One comparison chart's bytes for export.
pub fn export_comparison(report: &CompareReport, chart: &str, format: ImageFormat) -> IpcResult<Vec<u8>> {
    api::compare_chart(report, chart, format)
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("the comparison has no chart {chart:?}")))?
        .map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))
}

/// Each segment's traits with their sparkline histograms.
pub fn segment_traits(scenario: &Scenario) -> Vec<SegmentTraitsDto> {
    api::segment_traits(scenario)
        .into_iter()
        .map(|segment| SegmentTraitsDto {
            name: segment.name,
            traits: segment
                .traits
                .iter()
                .filter_map(|t| {
                    let svg = api::trait_sparkline(t, ImageFormat::Svg).ok()?;
                    Some(TraitDto {
                        id: t.id.to_owned(),
                        label: t.label.to_owned(),
                        mean: t.mean,
                        configured_mean: t.configured_mean,
                        lower: t.lower,
                        upper: t.upper,
                        draws: t.draws as f64,
                        percent: t.percent,
                        svg: String::from_utf8_lossy(&svg).into_owned(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// One chart's bytes for export.
pub fn export(results: &RunResults, chart: &str, format: ImageFormat) -> IpcResult<Vec<u8>> {
    api::run_chart(results, chart, format)
        .map(|c| c.bytes)
        .map_err(|e| IpcError::new(ErrorCode::ChartFailed, e.to_string()))
}
