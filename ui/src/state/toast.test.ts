import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INFO_MS, toast } from "./toast.svelte";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  toast.dismiss();
});

describe("toast", () => {
  it("keeps an error until it is dismissed", () => {
    toast.say("the file could not be read", true);
    vi.advanceTimersByTime(10 * INFO_MS);
    expect(toast.current?.text).toBe("the file could not be read");
    toast.dismiss();
    expect(toast.current).toBeNull();
  });

  it("lets other messages go after a while, longer when they offer an action", () => {
    toast.say("Saved.");
    vi.advanceTimersByTime(INFO_MS);
    expect(toast.current).toBeNull();
    toast.say("Deleted.", false, { label: "Undo", run: () => {} });
    vi.advanceTimersByTime(INFO_MS);
    expect(toast.current?.text).toBe("Deleted.");
    vi.advanceTimersByTime(INFO_MS);
    expect(toast.current).toBeNull();
  });

  it("runs the action once and takes the message away", async () => {
    const run = vi.fn();
    toast.say("Deleted.", false, { label: "Undo", run });
    await toast.act();
    await toast.act();
    expect(run).toHaveBeenCalledTimes(1);
    expect(toast.current).toBeNull();
  });
});
