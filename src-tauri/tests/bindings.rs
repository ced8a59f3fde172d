//! ui/src/bindings.ts — every command with its arguments, result and error, the events, and the
//! constants the UI shares — is generated from the one IPC registry (`journeylab_app::ipc`);
//! this test fails when it is stale. Regenerate with `make bindings`
//! (`UPDATE_BINDINGS=1 cargo test -p journeylab-app --test bindings`).

use std::path::Path;

use specta_typescript::Typescript;

const HEADER: &str = "// Generated from src-tauri (journeylab_app::ipc) by `make bindings`: do not edit.";

#[test]
fn typescript_bindings_are_up_to_date() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let dir = tempfile::tempdir().expect("temporary dir");
    let fresh = dir.path().join("bindings.ts");
    journeylab_app::ipc::<tauri::test::MockRuntime>()
        .export(Typescript::default().header(HEADER), &fresh)
        .expect("the IPC registry exports to TypeScript");
    let fresh = std::fs::read_to_string(&fresh).expect("exported bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh).expect("write ui/src/bindings.ts");
    }
    for command in ["runScenario", "compareDesigns", "robustRun", "cancelRun", "peekingStart"] {
        assert!(fresh.contains(&format!("\t{command}: (")), "the bindings have {command}");
    }
    assert!(fresh.contains("\"scenario.invalid\""), "the error codes are a union");
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(on_disk == fresh, "ui/src/bindings.ts is stale: run `make bindings`");
}
