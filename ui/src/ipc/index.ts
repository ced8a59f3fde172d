// The only module that imports @tauri-apps/api: typed wrappers over the app's commands.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { CheckReport } from "../bindings/CheckReport";
import type { CompareOptions } from "../bindings/CompareOptions";
import type { CompareView } from "../bindings/CompareView";
import type { Example } from "../bindings/Example";
import type { IpcError } from "../bindings/IpcError";
import type { RunEvent } from "../bindings/RunEvent";
import type { RunOptions } from "../bindings/RunOptions";
import type { RunSummary } from "../bindings/RunSummary";
import type { RunView } from "../bindings/RunView";
import type { ScenarioDoc } from "../bindings/ScenarioDoc";
import type { SegmentTraitsDto } from "../bindings/SegmentTraitsDto";
import type { UserScenario } from "../bindings/UserScenario";

/** Errors from the app always arrive as `{code, message, location?}`; anything else is wrapped. */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const x = e as Partial<IpcError>;
    return { code: String(x.code), message: String(x.message), location: x.location ?? null, diagnostics: x.diagnostics ?? [] };
  }
  return { code: "ipc.failed", message: String(e), location: null, diagnostics: [] };
}

export async function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asIpcError(e);
  }
}

export const ipc = {
  library: () => call<Example[]>("library"),
  openExample: (id: string) => call<ScenarioDoc>("open_example", { id }),
  newScenario: () => call<ScenarioDoc>("new_scenario"),
  check: (toml: string) => call<CheckReport>("check_scenario", { toml }),
  setField: (toml: string, path: string, value: string) => call<string>("set_field", { toml, path, value }),
  userScenarios: () => call<UserScenario[]>("user_scenarios"),
  saveScenario: (name: string, toml: string) => call<UserScenario>("save_scenario", { name, toml }),
  openUserScenario: (name: string) => call<ScenarioDoc>("open_user_scenario", { name }),
  recentRuns: () => call<RunSummary[]>("recent_runs"),
  openRun: (id: number) => call<RunView>("open_run", { id }),
  runScenarioText: (id: number) => call<ScenarioDoc>("run_scenario_text", { id }),
  cancelRun: (job: number) => call<boolean>("cancel_run", { job }),
  quit: () => call<null>("quit"),
  startupNotice: () => call<string | null>("startup_notice"),
  openFile: () => call<ScenarioDoc | null>("open_file"),
  saveFile: (name: string, toml: string) => call<string | null>("save_file", { name, toml }),
  exportRun: (id: number, format: string, chart: string | null = null) =>
    call<string | null>("export_run", { id, format, chart }),
  segmentTraits: (toml: string) => call<SegmentTraitsDto[]>("segment_traits", { toml }),
  exportCompare: (format: string, chart: string | null = null) => call<string | null>("export_compare", { format, chart }),
  compare(toml: string, options: CompareOptions, onEvent: (e: RunEvent) => void): Promise<CompareView> {
    const channel = new Channel<RunEvent>();
    channel.onmessage = onEvent;
    return call<CompareView>("compare_designs", { toml, options, onEvent: channel });
  },
  run(toml: string, options: RunOptions, onEvent: (e: RunEvent) => void): Promise<RunView> {
    const channel = new Channel<RunEvent>();
    channel.onmessage = onEvent;
    return call<RunView>("run_scenario", { toml, options, onEvent: channel });
  },
  /** Menu items (and their shortcuts) arrive as `menu` events carrying the item id. */
  onMenu: (handler: (id: string) => void): Promise<UnlistenFn> => listen<string>("menu", (e) => handler(e.payload)),
};
export { lab } from "./lab";
export { canvas } from "./canvas";
export { model } from "./model";
export { robust } from "./robust";
