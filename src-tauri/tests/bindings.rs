//! The TypeScript types in ui/src/bindings/ are generated from the DTOs; this
//! test fails when they are stale. Regenerate with
//! `UPDATE_BINDINGS=1 cargo test -p journeylab-app --test bindings`.

use std::path::Path;

use journeylab_app::canvas::*;
use journeylab_app::dto::*;
use journeylab_app::error::{IpcError, Location};
use journeylab_app::lab_dto::*;
use journeylab_app::model::ParameterDto;
use journeylab_app::robust::*;
use ts_rs::{Config, TS};

fn generated() -> Vec<(String, String)> {
    let cfg = Config::new().with_large_int("number");
    let mut out = Vec::new();
    macro_rules! each {
        ($($t:ty),* $(,)?) => {$(
            let name = <$t as TS>::output_path().expect("exportable").display().to_string();
            out.push((name, <$t as TS>::export_to_string(&cfg).expect("bindings")));
        )*};
    }
    each!(
        DiagnosticDto,
        Example,
        ScenarioDoc,
        UserScenario,
        FieldKindDto,
        FieldDto,
        CheckReport,
        RunOptions,
        RunEvent,
        RunSummary,
        Headline,
        MetricRow,
        ChartDto,
        RunView,
        TraitDto,
        SegmentTraitsDto,
        CompareOptions,
        IntervalDto,
        CompareMetricDto,
        CompareView,
        VerdictDto,
        RecommendationDto,
        IpcError,
        Location,
        LabRunOptions,
        MonitorFrame,
        MonitorLook,
        MonitorView,
        RuleRow,
        ReplicationView,
        PeekSettings,
        MethodRate,
        PeekBatch,
        PeekEvent,
        TrafficView,
        PlanInput,
        BoundaryRow,
        DetectableRow,
        DurationRow,
        PlanView,
        CanvasGraph,
        CanvasNode,
        CanvasEdge,
        SlotDto,
        NodeTypeDto,
        CanvasEdit,
        JourneyFlow,
        NodeFlowDto,
        EdgeFlowDto,
        ParameterDto,
        RobustOptions,
        RobustSettings,
        RobustPlanDto,
        RobustMetricDto,
        RobustPairDto,
        RobustView,
    );
    out
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let files = generated();
    if update {
        std::fs::create_dir_all(&dir).expect("bindings dir");
    }
    for (name, text) in &files {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, text).expect("write binding");
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            &committed, text,
            "{name} is stale: run UPDATE_BINDINGS=1 cargo test -p journeylab-app --test bindings"
        );
    }
    let mut on_disk: Vec<String> =
        std::fs::read_dir(&dir).expect("bindings dir").filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    on_disk.sort();
    let mut expected: Vec<String> = files.into_iter().map(|(name, _)| name).collect();
    expected.sort();
    assert_eq!(on_disk, expected, "ui/src/bindings/ holds exactly the generated files");
}
