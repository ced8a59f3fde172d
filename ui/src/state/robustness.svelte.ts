// The Robustness panel's state (on the Compare screen): kept here, not in the view, so a sweep keeps
// running (and its result stays) while the user looks at other screens. Defaults, bounds, the
// sweep's size and every sentence come from the core.
import type { ExportFormat, RobustPlanDto, RobustSettings, RobustView } from "../bindings";
import { asIpcError, ipc } from "../ipc";
import { app } from "./app.svelte";
import { Job } from "./job.svelte";
import { parseCount } from "./robust";

class RobustnessState {
  settings = $state<RobustSettings | null>(null);
  /** What is in the fields: null is the core's default. */
  samples = $state<number | null>(null);
  users = $state<number | null>(null);
  /** A field that is not a whole number, said at the fields. */
  typo = $state<string | null>(null);
  plan = $state<RobustPlanDto | null>(null);
  /** Why the core refuses these inputs (or this scenario), said at the fields. */
  problem = $state<string | null>(null);
  view = $state<RobustView | null>(null);
  /** The metric whose tornado is shown. */
  metric = $state<string | null>(null);
  readonly job = new Job("Robustness sweep");
  /** The plan the running sweep was started with. */
  runningPlan = $state<RobustPlanDto | null>(null);
  #asked = 0;

  async load() {
    if (!this.settings) this.settings = await ipc.robustSettings();
  }

  set(field: "samples" | "users", text: string) {
    const read = parseCount(text);
    if ("error" in read) {
      this.typo = read.error;
      return;
    }
    this.typo = null;
    this[field] = read.value;
  }

  /** Asks the core what these inputs would run; the latest answer wins. */
  async refreshPlan(toml: string) {
    const asked = ++this.#asked;
    try {
      const plan = await ipc.robustPlan(toml, { samples: this.samples, users: this.users });
      if (asked !== this.#asked) return;
      this.plan = plan;
      this.problem = null;
    } catch (e) {
      if (asked !== this.#asked) return;
      this.plan = null;
      this.problem = asIpcError(e).message;
    }
  }

  get running() {
    return this.job.running;
  }

  get progress() {
    return this.job.progress;
  }

  async start() {
    if (!app.doc || this.running || !this.plan) return;
    const toml = app.doc.toml;
    const options = { samples: this.samples, users: this.users };
    this.runningPlan = this.plan;
    const view = await this.job.run((events) => ipc.robustRun(toml, options, events));
    if (!view) return;
    this.view = view;
    this.metric = view.first_metric;
  }

  async cancel() {
    await this.job.cancel();
  }

  async export(format: ExportFormat, chart: string | null = null) {
    try {
      const path = await ipc.exportRobust(format, chart);
      if (path) app.say(`Exported to ${path}.`);
    } catch (e) {
      app.fail(e);
    }
  }
}

export const robustness = new RobustnessState();
