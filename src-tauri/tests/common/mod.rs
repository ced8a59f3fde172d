//! The command tests' harness: the app on Tauri's mock runtime, commands called
//! through the real IPC path, channel messages collected.
#![allow(dead_code)] // each test file uses part of it

use std::sync::mpsc;

use journeylab_app::History;
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The id the tests give the run's progress channel.
pub const CHANNEL: &str = "__CHANNEL__:4242";

pub struct Harness {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub events: mpsc::Receiver<Value>,
}

pub fn harness(history: History) -> Harness {
    let (tx, events) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let app = journeylab_app::run_app(mock_builder(), history)
        .channel_interceptor(move |_webview, _callback, _index, body| {
            if let InvokeResponseBody::Json(text) = body
                && let Ok(value) = serde_json::from_str::<Value>(text)
                && let Ok(tx) = tx.lock()
            {
                let _ = tx.send(value);
            }
            true
        })
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("window");
    Harness { app, window, events }
}

pub fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    {
        let request = tauri::webview::InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // On Linux http://tauri.localhost counts as a remote origin and is refused.
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("json response"))
    }
}

impl Harness {
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call(&self.window, cmd, args)
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }
}

pub fn example(h: &Harness, id: &str) -> String {
    h.ok("open_example", json!({"id": id}))["toml"].as_str().expect("toml").to_owned()
}
