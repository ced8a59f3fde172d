// The lab screens' commands: experiment monitor, peeking lab, planner.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { LabRunOptions } from "../bindings/LabRunOptions";
import type { MonitorView } from "../bindings/MonitorView";
import type { PeekBatch } from "../bindings/PeekBatch";
import type { PeekEvent } from "../bindings/PeekEvent";
import type { PeekSettings } from "../bindings/PeekSettings";
import type { PlanInput } from "../bindings/PlanInput";
import type { PlanView } from "../bindings/PlanView";
import type { ReplicationView } from "../bindings/ReplicationView";
import type { RunEvent } from "../bindings/RunEvent";
import type { TrafficView } from "../bindings/TrafficView";
import { asIpcError } from "./index";

async function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asIpcError(e);
  }
}

function channel<E>(onEvent: (e: E) => void): Channel<E> {
  const c = new Channel<E>();
  c.onmessage = onEvent;
  return c;
}

/** The lab's exportable charts. */
export type LabChart = "monitor" | "monitor-arms" | "monitor-p" | "peeking";

export const lab = {
  /** Runs the open scenario's experiment once; every look's chart comes back drawn. */
  monitor: (toml: string, options: LabRunOptions, onEvent: (e: RunEvent) => void) =>
    call<MonitorView>("experiment_monitor", { toml, options, onEvent: channel(onEvent) }),
  replications: (toml: string, replications: number, options: LabRunOptions, onEvent: (e: RunEvent) => void) =>
    call<ReplicationView>("experiment_replications", { toml, replications, options, onEvent: channel(onEvent) }),
  /** Starts the Monte Carlo for these settings, cancelling the previous one (which rejects with run.cancelled). */
  peek: (settings: PeekSettings, onEvent: (e: PeekEvent) => void) =>
    call<PeekBatch>("peeking_start", { settings, onEvent: channel(onEvent) }),
  traffic: (toml: string) => call<TrafficView>("experiment_traffic", { toml }),
  plan: (input: PlanInput) => call<PlanView>("plan_experiment", { input }),
  /** `chart`: a monitor chart ("monitor", "monitor-arms", "monitor-p", through `through` looks) or "peeking"; `format`: "svg" or "png". */
  exportChart: (chart: LabChart, format: "svg" | "png", through: number | null = null) =>
    call<string | null>("export_lab_chart", { chart, format, through }),
};
