import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { Channel } from "../ipc";
import type { RunEvent } from "../bindings";
import { anyRunning, cancelAll, Job } from "./job.svelte";
import { toast } from "./toast.svelte";

beforeEach(() => {
  (globalThis as unknown as { window: unknown }).window = globalThis;
  mockWindows("main");
});
afterEach(() => clearMocks());

/** A job command that reports `started` with `id`, then waits until the job `id` is cancelled. */
function cancellable(id: number, cancelled: Set<number>) {
  return (events: Channel<RunEvent>) =>
    new Promise<string>((_, reject) => {
      events.onmessage({ event: "started", job: id, users_total: 100 });
      const poll = setInterval(() => {
        if (!cancelled.has(id)) return;
        clearInterval(poll);
        reject({ code: "run.cancelled", message: "The run was cancelled.", location: null, diagnostics: [] });
      }, 1);
    });
}

describe("job", () => {
  it("cancels whatever runs, and says so for each", async () => {
    const cancelled = new Set<number>();
    mockIPC((cmd, args) => {
      expect(cmd).toBe("cancel_run");
      cancelled.add((args as { job: number }).job);
      return true;
    });
    // Every message said, in whatever order the two jobs' rejections arrive.
    const said = vi.spyOn(toast, "say");
    const run = new Job("Run");
    const sweep = new Job("Robustness sweep");
    const both = [run.run(cancellable(1, cancelled)), sweep.run(cancellable(2, cancelled))];
    await new Promise((r) => setTimeout(r, 5));
    expect([run.running, sweep.running, run.id, sweep.id, anyRunning()]).toEqual([true, true, 1, 2, true]);
    await cancelAll();
    expect(await Promise.all(both)).toEqual([null, null]);
    expect([...cancelled].sort()).toEqual([1, 2]);
    expect([run.running, sweep.running, run.id, anyRunning()]).toEqual([false, false, null, false]);
    expect(said.mock.calls.map(([text]) => text).sort()).toEqual(["Robustness sweep cancelled.", "Run cancelled."]);
    said.mockRestore();
  });

  it("ends on failure, letting the caller take an error it knows", async () => {
    mockIPC(() => null);
    const job = new Job("Comparison");
    const invalid = { code: "scenario.invalid", message: "bad", location: null, diagnostics: [] };
    const seen: string[] = [];
    const taken = await job.run(() => Promise.reject(invalid), (e) => (seen.push(e.code), true));
    expect([taken, job.running, seen]).toEqual([null, false, ["scenario.invalid"]]);
    await job.run(() => Promise.reject({ ...invalid, code: "run.failed", message: "the worker thread failed" }));
    expect(toast.current).toEqual({ text: "the worker thread failed", error: true });
    expect(await job.run(async () => 42)).toBe(42);
  });
});
