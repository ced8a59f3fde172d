// The Compare screen's Robustness panel: the core's defaults and bounds, a sweep's size, the sweep, its exports.
import { Channel } from "@tauri-apps/api/core";
import type { RobustOptions } from "../bindings/RobustOptions";
import type { RobustPlanDto } from "../bindings/RobustPlanDto";
import type { RobustSettings } from "../bindings/RobustSettings";
import type { RobustView } from "../bindings/RobustView";
import type { RunEvent } from "../bindings/RunEvent";
import { call } from "./index";

export const robust = {
  settings: () => call<RobustSettings>("robust_settings"),
  plan: (toml: string, options: RobustOptions) => call<RobustPlanDto>("robust_plan", { toml, options }),
  /** Runs the sweep as a job (cancel with `ipc.cancelRun`); progress counts simulated users over every run. */
  run(toml: string, options: RobustOptions, onEvent: (e: RunEvent) => void): Promise<RobustView> {
    const channel = new Channel<RunEvent>();
    channel.onmessage = onEvent;
    return call<RobustView>("robust_run", { toml, options, onEvent: channel });
  },
  /** `json` (robust.json), `csv` (one row per pair and metric), or chart `chart` as `svg`/`png`. */
  export: (format: "json" | "csv" | "svg" | "png", chart: string | null = null) =>
    call<string | null>("export_robust", { format, chart }),
};
