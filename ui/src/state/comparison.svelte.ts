// The Compare screen's state: kept here, not in the view, so a comparison keeps running
// (and its result stays) while the user looks at other screens.
import type { CompareView, ExportFormat } from "../bindings";
import { COMPARE_SETTINGS } from "../bindings";
import { ipc } from "../ipc";
import { app } from "./app.svelte";
import { Job } from "./job.svelte";

class ComparisonState {
  view = $state<CompareView | null>(null);
  readonly job = new Job("Comparison");
  /** The core's default; the field is bounded by `COMPARE_SETTINGS.replications_max`. */
  replications = $state<number>(COMPARE_SETTINGS.replications);
  users = $state<number | null>(null);
  /** The primary metric chosen on screen (a metric id); null: the scenario's `[verdict] primary_metric`. */
  primary = $state<string | null>(null);
  /** What the screen shows: the designs side by side, or the Robustness panel. */
  tab = $state<"designs" | "robustness">("designs");

  get running() {
    return this.job.running;
  }

  get progress() {
    return this.job.progress;
  }

  async start() {
    if (!app.doc) return;
    const toml = app.doc.toml;
    const options = { replications: this.replications, users: this.users };
    const view = await this.job.run((events) => ipc.compareDesigns(toml, options, events));
    if (view) this.view = view;
  }

  async cancel() {
    await this.job.cancel();
  }

  async export(format: ExportFormat, chart: string | null = null) {
    try {
      const path = await ipc.exportCompare(format, chart);
      if (path) app.say(`Exported to ${path}.`);
    } catch (e) {
      app.fail(e);
    }
  }
}

export const comparison = new ComparisonState();
