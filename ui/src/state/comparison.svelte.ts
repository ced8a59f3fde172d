// The Compare screen's state: kept here, not in the view, so a comparison keeps running
// (and its result stays) while the user looks at other screens.
import type { CompareView } from "../bindings/CompareView";
import { asIpcError, ipc } from "../ipc";
import { app } from "./app.svelte";
import type { ProgressState } from "./progress";

class ComparisonState {
  view = $state<CompareView | null>(null);
  running = $state(false);
  job = $state<number | null>(null);
  progress = $state<ProgressState | null>(null);
  replications = $state(5);
  users = $state<number | null>(null);
  /** What the screen shows: the designs side by side, or the Robustness panel. */
  tab = $state<"designs" | "robustness">("designs");

  async start() {
    if (!app.doc || this.running) return;
    this.running = true;
    this.progress = { done: 0, total: 0, elapsedMs: 0 };
    try {
      this.view = await ipc.compare(app.doc.toml, { replications: this.replications, users: this.users }, (e) => {
        if (e.event === "started") {
          this.job = e.job;
          this.progress = { done: 0, total: e.users_total, elapsedMs: 0 };
        } else {
          this.progress = { done: e.users_done, total: e.users_total, elapsedMs: e.elapsed_ms };
        }
      });
    } catch (e) {
      const err = asIpcError(e);
      if (err.code === "run.cancelled") app.say("Comparison cancelled.");
      else app.fail(err);
    } finally {
      this.running = false;
      this.job = null;
    }
  }

  async cancel() {
    if (this.job !== null) await ipc.cancelRun(this.job);
  }

  async export(format: string, chart: string | null = null) {
    try {
      const path = await ipc.exportCompare(format, chart);
      if (path) app.say(`Exported to ${path}.`);
    } catch (e) {
      app.fail(e);
    }
  }
}

export const comparison = new ComparisonState();
