//! Journey Lab's core: everything but the user interface.
//!
//! Reading order: [`scenario`] (the file format and its validation) →
//! [`population`] (who the users are) → [`behavior`] (how they act and
//! respond) → [`journey`] (policies the designs apply) → [`engine`] (the
//! parallel, deterministic simulation) → [`stats`] (tests and sequential
//! designs) → [`predict`] (sBG and BG/NBD projections) → [`robust`] (a
//! comparison over the model's plausible ranges) → [`chart`] (plotters
//! SVG/PNG) → [`store`] (the history in SQLite) → [`api`] (the one façade the
//! CLI and the desktop app call).
//!
//! Nothing here depends on Tauri, a webview or an async runtime; nothing below
//! `api` does I/O or prints. Only `api` is public: every other module is
//! `pub(crate)`, and what the front ends need is re-exported from `api`
//! (kept so by tests/api_boundary.rs).

pub mod api;
pub(crate) mod behavior;
pub(crate) mod calibrate;
pub(crate) mod chart;
pub(crate) mod compare;
pub(crate) mod edit;
pub(crate) mod engine;
pub(crate) mod experiment;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod journey;
pub(crate) mod library;
pub(crate) mod numbers;
pub(crate) mod population;
pub(crate) mod predict;
pub(crate) mod rng;
pub(crate) mod robust;
pub(crate) mod run_charts;
pub(crate) mod scenario;
pub(crate) mod stats;
pub(crate) mod store;
pub(crate) mod table;
pub(crate) mod vocabulary;
