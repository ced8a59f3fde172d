// The one job model: a long command (a run, a comparison, a robustness sweep, the experiment
// monitor, its replications, a calibration) started with this job's event channel. The `started` event gives
// the id to cancel, then progress arrives; the job ends on every path. Every running job is
// known here, so Ctrl+. cancels whatever runs.
import type { IpcError, RunEvent } from "../bindings";
import { asIpcError, channel, ipc, type Channel } from "../ipc";
import type { ProgressState } from "./progress";
import { toast } from "./toast.svelte";

const active = new Set<Job>();

export class Job {
  id = $state<number | null>(null);
  progress = $state<ProgressState | null>(null);
  running = $state(false);

  /** `what` names the job in "… cancelled." */
  constructor(private readonly what: string) {}

  onEvent(e: RunEvent) {
    if (e.event === "started") {
      this.id = e.job;
      this.progress = { done: 0, total: e.users_total, elapsedMs: 0 };
    } else {
      this.progress = { done: e.users_done, total: e.users_total, elapsedMs: e.elapsed_ms };
    }
  }

  /**
   * Runs `work` (a job command given this job's channel): its result, or null when the job was
   * already running, was cancelled (said in the toast) or failed (said in the toast, unless
   * `handled` takes the error and returns true).
   */
  async run<T>(work: (events: Channel<RunEvent>) => Promise<T>, handled?: (e: IpcError) => boolean): Promise<T | null> {
    if (this.running) return null;
    this.running = true;
    this.progress = { done: 0, total: 0, elapsedMs: 0 };
    active.add(this);
    try {
      return await work(channel((e: RunEvent) => this.onEvent(e)));
    } catch (e) {
      const err = asIpcError(e);
      if (err.code === "run.cancelled") toast.say(`${this.what} cancelled.`);
      else if (!handled?.(err)) toast.fail(err);
      return null;
    } finally {
      active.delete(this);
      this.running = false;
      this.id = null;
    }
  }

  async cancel() {
    if (this.id !== null) await ipc.cancelRun(this.id);
  }
}

/** Cancels every job that runs (Ctrl+. and the Run menu's Cancel). */
export function cancelAll(): Promise<unknown> {
  return Promise.all([...active].map((job) => job.cancel()));
}

/** Whether any job runs. */
export function anyRunning(): boolean {
  return active.size > 0;
}
