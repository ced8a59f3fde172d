import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { CheckReport } from "../bindings";
import { app } from "./app.svelte";

const report: CheckReport = { valid: true, diagnostics: [], fields: [], outlines: [], journeys: [], users: 1, days: 1, has_experiment: false };

/** `key = value` lines, edited as the core's set_field would. */
function setLine(toml: string, key: string, value: string): string {
  return toml
    .split("\n")
    .map((line) => (line.startsWith(`${key} =`) ? `${key} = ${value}` : line))
    .join("\n");
}

/** The app's commands with each set_field answer held back until the test releases it. */
function heldEdits() {
  const held: (() => void)[] = [];
  const asked: string[] = [];
  mockIPC((cmd, args) => {
    const a = args as { toml: string; path: string; value: string };
    if (cmd === "check_scenario") return report;
    if (cmd === "set_field") {
      asked.push(a.toml);
      return new Promise<string>((resolve) => held.push(() => resolve(setLine(a.toml, a.path, a.value))));
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return { held, asked };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(async () => {
  (globalThis as unknown as { window: unknown }).window = globalThis;
  mockWindows("main");
  // Each test starts as if the last one's scenario had been saved.
  app.dirty = false;
});
afterEach(() => clearMocks());

describe("edits of the scenario text", () => {
  it("keeps both of two overlapping edits of different fields, each computed from the latest text", async () => {
    const { held, asked } = heldEdits();
    await app.open({ name: "t", toml: "a = 1\nb = 1", origin: "example" });
    const first = app.setField("a", "2");
    const second = app.setField("b", "3");
    await settle();
    // The second edit waits for the first: only one question is out.
    expect(held).toHaveLength(1);
    held[0]?.();
    await settle();
    expect(held).toHaveLength(2);
    held[1]?.();
    await Promise.all([first, second]);
    expect(asked).toEqual(["a = 1\nb = 1", "a = 2\nb = 1"]);
    expect(app.doc?.toml).toBe("a = 2\nb = 3");
  });

  it("applies a field cleared then retyped in order: the typed value is the one kept", async () => {
    const { held } = heldEdits();
    await app.open({ name: "t", toml: "days = 14", origin: "example" });
    const cleared = app.setField("days", '""');
    const typed = app.setField("days", "-3");
    for (let i = 0; i < 2; i++) {
      await settle();
      held[i]?.();
    }
    await Promise.all([cleared, typed]);
    expect(app.doc?.toml).toBe("days = -3");
  });

  it("drops an edit queued for a scenario that has since been closed by opening another", async () => {
    const { held } = heldEdits();
    await app.open({ name: "first", toml: "a = 1", origin: "example" });
    const late = app.setField("a", "2");
    await settle();
    await app.open({ name: "second", toml: "a = 5", origin: "example" });
    held[0]?.();
    await late;
    expect(app.doc?.toml).toBe("a = 5");
    expect(app.dirty).toBe(false);
  });

  it("leaves the text as it was when an edit fails, and later edits still apply", async () => {
    mockIPC((cmd, args) => {
      const a = args as { toml: string; path: string; value: string };
      if (cmd === "check_scenario") return report;
      if (cmd === "set_field" && a.path === "missing") throw { code: "edit.no_field", message: "no field missing" };
      if (cmd === "set_field") return setLine(a.toml, a.path, a.value);
      throw new Error(`unexpected command ${cmd}`);
    });
    await app.open({ name: "t", toml: "a = 1", origin: "example" });
    await Promise.all([app.setField("missing", "1"), app.setField("a", "4")]);
    expect(app.doc?.toml).toBe("a = 4");
    expect(app.toast).toEqual({ text: "no field missing", error: true });
  });
});

/** Commands that apply set_field at once and count saves. */
function instantEdits() {
  const saved: string[] = [];
  mockIPC((cmd, args) => {
    const a = args as { toml: string; path: string; value: string; name: string };
    if (cmd === "check_scenario") return report;
    if (cmd === "set_field") return setLine(a.toml, a.path, a.value);
    if (cmd === "save_scenario") {
      saved.push(a.toml);
      return { name: a.name, version: saved.length };
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return saved;
}

describe("undo and redo", () => {
  it("steps back and forward through form edits and typing alike, and is clean again at the opened text", async () => {
    instantEdits();
    // One instant: the two keystrokes below are one burst however slowly the machine runs.
    const now = vi.spyOn(Date, "now").mockReturnValue(1_000_000);
    await app.open({ name: "t", toml: "a = 1", origin: "example" });
    expect([app.canUndo, app.canRedo]).toEqual([false, false]);
    await app.setField("a", "2");
    await app.setText("a = 2\nb = 1");
    await app.setText("a = 2\nb = 12");
    expect(app.canUndo).toBe(true);
    await app.undo();
    // The two keystrokes of one burst are one step.
    expect(app.doc?.toml).toBe("a = 2");
    expect(app.dirty).toBe(true);
    await app.undo();
    expect(app.doc?.toml).toBe("a = 1");
    expect([app.dirty, app.canUndo, app.canRedo]).toEqual([false, false, true]);
    await app.undo();
    expect(app.doc?.toml).toBe("a = 1");
    await app.redo();
    await app.redo();
    expect(app.doc?.toml).toBe("a = 2\nb = 12");
    expect([app.dirty, app.canRedo]).toEqual([true, false]);
    now.mockRestore();
  });

  it("a notice's Undo takes back only the edit it was shown for", async () => {
    instantEdits();
    await app.open({ name: "t", toml: "a = 1", origin: "example" });
    await app.setField("a", "2");
    const action = app.undoAction();
    await action?.run();
    expect(app.doc?.toml).toBe("a = 1");
    await app.setField("a", "3");
    const stale = app.undoAction();
    await app.setField("a", "4");
    await stale?.run();
    expect(app.doc?.toml).toBe("a = 4");
    expect(app.toast?.text).toMatch(/Later edits/);
  });

  it("opening another scenario starts a new history", async () => {
    instantEdits();
    await app.open({ name: "t", toml: "a = 1", origin: "example" });
    await app.setField("a", "2");
    await app.open({ name: "u", toml: "a = 9", origin: "example" }, true);
    expect([app.canUndo, app.dirty]).toEqual([false, false]);
  });
});

describe("unsaved edits", () => {
  async function dirtyDoc() {
    const saved = instantEdits();
    await app.open({ name: "t", toml: "a = 1", origin: "example" });
    await app.setField("a", "2");
    return saved;
  }
  const other = { name: "other", toml: "z = 1", origin: "example" } as const;

  it("asks before another scenario replaces them; Cancel keeps them", async () => {
    await dirtyDoc();
    const opening = app.open(other);
    await settle();
    expect(app.unsavedPrompt?.name).toBe("t");
    app.unsavedPrompt?.answer("cancel");
    expect(await opening).toBe(false);
    expect([app.doc?.toml, app.dirty, app.unsavedPrompt]).toEqual(["a = 2", true, null]);
  });

  it("Discard drops them and opens the other scenario", async () => {
    await dirtyDoc();
    const opening = app.open(other);
    await settle();
    app.unsavedPrompt?.answer("discard");
    expect(await opening).toBe(true);
    expect(app.doc?.toml).toBe("z = 1");
  });

  it("Save saves them first", async () => {
    const saved = await dirtyDoc();
    const opening = app.open(other);
    await settle();
    app.unsavedPrompt?.answer("save");
    expect(await opening).toBe(true);
    expect(saved).toEqual(["a = 2"]);
    expect(app.doc?.toml).toBe("z = 1");
  });

  it("does not ask when nothing is unsaved", async () => {
    instantEdits();
    await app.open({ name: "t", toml: "a = 1", origin: "example" });
    expect(await app.mayDrop()).toBe(true);
    expect(app.unsavedPrompt).toBeNull();
  });
});
