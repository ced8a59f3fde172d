// The Robustness panel's state (on the Compare screen): kept here, not in the view, so a sweep keeps
// running (and its result stays) while the user looks at other screens. Defaults, bounds, the
// sweep's size and every sentence come from the core.
import type { RobustPlanDto } from "../bindings/RobustPlanDto";
import type { RobustSettings } from "../bindings/RobustSettings";
import type { RobustView } from "../bindings/RobustView";
import { asIpcError, ipc, robust } from "../ipc";
import { app } from "./app.svelte";
import type { ProgressState } from "./progress";
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
  running = $state(false);
  job = $state<number | null>(null);
  progress = $state<ProgressState | null>(null);
  /** The plan the running sweep was started with. */
  runningPlan = $state<RobustPlanDto | null>(null);
  #asked = 0;

  async load() {
    if (!this.settings) this.settings = await robust.settings();
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
      const plan = await robust.plan(toml, { samples: this.samples, users: this.users });
      if (asked !== this.#asked) return;
      this.plan = plan;
      this.problem = null;
    } catch (e) {
      if (asked !== this.#asked) return;
      this.plan = null;
      this.problem = asIpcError(e).message;
    }
  }

  async start() {
    if (!app.doc || this.running || !this.plan) return;
    this.running = true;
    this.runningPlan = this.plan;
    this.progress = { done: 0, total: 0, elapsedMs: 0 };
    try {
      const view = await robust.run(app.doc.toml, { samples: this.samples, users: this.users }, (e) => {
        if (e.event === "started") {
          this.job = e.job;
          this.progress = { done: 0, total: e.users_total, elapsedMs: 0 };
        } else {
          this.progress = { done: e.users_done, total: e.users_total, elapsedMs: e.elapsed_ms };
        }
      });
      this.view = view;
      this.metric = view.first_metric;
    } catch (e) {
      const err = asIpcError(e);
      if (err.code === "run.cancelled") app.say("Robustness sweep cancelled.");
      else app.fail(err);
    } finally {
      this.running = false;
      this.job = null;
    }
  }

  async cancel() {
    if (this.job !== null) await ipc.cancelRun(this.job);
  }

  async export(format: "json" | "csv" | "svg" | "png", chart: string | null = null) {
    try {
      const path = await robust.export(format, chart);
      if (path) app.say(`Exported to ${path}.`);
    } catch (e) {
      app.fail(e);
    }
  }
}

export const robustness = new RobustnessState();
