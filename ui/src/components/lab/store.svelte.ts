// The lab screens' state, kept across screen switches: the replayed experiment, the
// replications, the peeking lab's settings and estimate, the planner's input and answer.
import type { MonitorView, PeekBatch, PeekEvent, PeekSettings, PlanInput, PlanView, ReplicationView, TrafficView } from "../../bindings";
import { asIpcError, channel, ipc } from "../../ipc";
import { app } from "../../state/app.svelte";
import { Job } from "../../state/job.svelte";

/** Replications run by default: a few seconds on a 2-core machine at the example's size. */
export const DEFAULT_REPLICATIONS = 4;

class LabState {
  /** The scenario text the monitor ran, to tell when the open scenario changed. */
  monitorToml = $state<string | null>(null);
  monitor = $state<MonitorView | null>(null);
  replication = $state<ReplicationView | null>(null);
  replications = $state(DEFAULT_REPLICATIONS);
  readonly monitorJob = new Job("Experiment");
  readonly replicationJob = new Job("Replications");

  peekSettings = $state<PeekSettings>({
    looks: 20,
    alpha: 0.05,
    baseline: 0.05,
    lift: 0,
    users_per_look: 1000,
    methods: ["naive", "gst:obf", "gst:pocock", "msprt", "cs", "bayes:0.95"],
  });
  peek = $state<PeekBatch | null>(null);
  peekError = $state<string | null>(null);
  private peekSeq = 0;

  planInput = $state<PlanInput>({
    metric: "rate",
    baseline: 0.05,
    sd: null,
    mde: 0.1,
    mde_relative: true,
    alpha: 0.05,
    power: 0.8,
    two_sided: true,
    design: "obf",
    looks: 5,
    futility: false,
    daily_users: 1000,
  });
  plan = $state<PlanView | null>(null);
  planError = $state<string | null>(null);
  traffic = $state<TrafficView | null>(null);
  trafficToml = $state<string | null>(null);

  async runMonitor(toml: string) {
    const view = await this.monitorJob.run((events) => ipc.experimentMonitor(toml, { users: null }, events));
    if (view) {
      this.monitor = view;
      this.monitorToml = toml;
      this.replication = null;
    }
  }

  async runReplications(toml: string) {
    const replications = this.replications;
    const view = await this.replicationJob.run((events) =>
      ipc.experimentReplications(toml, replications, { users: null }, events),
    );
    if (view) this.replication = view;
  }

  /** Restarts the Monte Carlo for the current settings; answers to older settings are dropped. */
  async restartPeek() {
    const seq = ++this.peekSeq;
    const settings = $state.snapshot(this.peekSettings);
    if (settings.methods.length === 0) {
      this.peekError = "Choose at least one method.";
      return;
    }
    try {
      const events = channel((e: PeekEvent) => {
        if (seq === this.peekSeq && e.event === "batch") {
          const { event: _, ...batch } = e;
          this.peek = batch;
          this.peekError = null;
        }
      });
      await ipc.peekingStart(settings, events);
    } catch (e) {
      const err = asIpcError(e);
      if (seq === this.peekSeq && err.code !== "run.cancelled") this.peekError = err.message;
    }
  }

  /** Pilot of the open scenario's experiment: traffic, baseline and sd for the planner. */
  async loadTraffic(toml: string) {
    if (this.trafficToml === toml) return;
    this.trafficToml = toml;
    try {
      const t = await ipc.experimentTraffic(toml);
      this.traffic = t;
      this.planInput.daily_users = Math.max(1, Math.round(t.daily_users));
      this.planInput.metric = t.binary ? "rate" : "mean";
      this.planInput.baseline = Number(t.baseline.toPrecision(3));
      this.planInput.sd = t.binary ? null : Number(t.sd.toPrecision(3));
    } catch (e) {
      this.traffic = null;
      const err = asIpcError(e);
      if (err.code !== "experiment.missing" && err.code !== "scenario.invalid") app.fail(err);
    }
  }

  private planSeq = 0;

  /** Plans the current input; answers to older inputs are dropped. */
  async computePlan() {
    const seq = ++this.planSeq;
    try {
      const plan = await ipc.planExperiment($state.snapshot(this.planInput));
      if (seq === this.planSeq) [this.plan, this.planError] = [plan, null];
    } catch (e) {
      if (seq === this.planSeq) [this.plan, this.planError] = [null, asIpcError(e).message];
    }
  }
}

export const labState = new LabState();
