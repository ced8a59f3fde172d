import { describe, expect, it } from "vitest";
import { COALESCE_MS, LIMIT, TextHistory } from "./history";

function clock() {
  let t = 0;
  return { now: () => t, tick: (ms: number) => (t += ms) };
}

describe("TextHistory", () => {
  it("undoes and redoes edits in order", () => {
    const h = new TextHistory();
    expect(h.canUndo).toBe(false);
    h.record("a", "b");
    h.record("b", "c");
    expect(h.undo()).toBe("b");
    expect(h.undo()).toBe("a");
    expect(h.undo()).toBeNull();
    expect(h.canRedo).toBe(true);
    expect(h.redo()).toBe("b");
    expect(h.redo()).toBe("c");
    expect(h.redo()).toBeNull();
    expect(h.undo()).toBe("b");
  });

  it("a new edit after an undo drops the redo steps", () => {
    const h = new TextHistory();
    h.record("a", "b");
    h.undo();
    h.record("a", "x");
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe("a");
  });

  it("merges a burst of typing into one step, but never other edits", () => {
    const c = clock();
    const h = new TextHistory(c.now);
    h.record("", "a", "typing");
    c.tick(COALESCE_MS - 1);
    h.record("a", "ab", "typing");
    c.tick(COALESCE_MS - 1);
    h.record("ab", "abc", "typing");
    c.tick(COALESCE_MS);
    h.record("abc", "abcd", "typing");
    h.record("abcd", "abcde", "edit");
    h.record("abcde", "abcdef", "edit");
    expect([h.undo(), h.undo(), h.undo(), h.undo(), h.undo()]).toEqual(["abcde", "abcd", "abc", "", null]);
  });

  it("typing back to where a burst started leaves no step", () => {
    const h = new TextHistory(() => 0);
    h.record("a", "ab", "typing");
    h.record("ab", "a", "typing");
    expect(h.canUndo).toBe(false);
  });

  it("ignores edits that change nothing and names the step Undo would take back", () => {
    const h = new TextHistory();
    expect(h.record("a", "a")).toBeNull();
    const first = h.record("a", "b");
    const second = h.record("b", "c");
    expect(second).not.toBe(first);
    expect(h.top).toBe(second);
    h.undo();
    expect(h.top).toBe(first);
    h.clear();
    expect([h.canUndo, h.canRedo, h.top]).toEqual([false, false, null]);
  });

  it("keeps at most LIMIT steps", () => {
    const h = new TextHistory();
    for (let i = 0; i < LIMIT + 5; i++) h.record(String(i), String(i + 1));
    let undone = 0;
    while (h.undo() !== null) undone++;
    expect(undone).toBe(LIMIT);
  });
});
