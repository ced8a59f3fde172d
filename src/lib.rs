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
//! `api` does I/O or prints.

pub mod api;
pub mod behavior;
pub mod chart;
pub mod compare;
pub mod edit;
pub mod engine;
pub mod experiment;
pub mod export;
pub mod import;
pub mod journey;
pub mod library;
pub mod population;
pub mod predict;
pub mod rng;
pub mod robust;
pub mod run_charts;
pub mod scenario;
pub mod stats;
pub mod store;
pub mod table;
