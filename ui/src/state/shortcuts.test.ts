import { describe, expect, it } from "vitest";
import { commandFor, once, REPEAT_MS } from "./shortcuts";

const chord = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: true,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("shortcuts", () => {
  it("maps the menu's chords to its items", () => {
    expect(commandFor(chord("o"))).toBe("open");
    expect(commandFor(chord("q"))).toBe("quit");
    expect(commandFor(chord("S", { shiftKey: true }))).toBe("save-file");
    expect(commandFor(chord("s"))).toBe("save");
    expect(commandFor(chord("r"))).toBe("run");
    expect(commandFor(chord("."))).toBe("cancel");
    expect(commandFor(chord("6"))).toBe("view-compare");
    expect(commandFor(chord("3"))).toBe("view-journeys");
    expect(commandFor(chord("o", { ctrlKey: false, metaKey: true }))).toBe("open");
    expect(commandFor(chord("F1", { ctrlKey: false }))).toBe("glossary");
    expect(commandFor(chord("z"))).toBe("undo");
    expect(commandFor(chord("Z", { shiftKey: true }))).toBe("redo");
    expect(commandFor(chord("y"))).toBe("redo");
    expect(commandFor(chord("F1", { ctrlKey: false, shiftKey: true }))).toBeNull();
  });

  it("leaves other keys to the page", () => {
    expect(commandFor(chord("o", { ctrlKey: false }))).toBeNull();
    expect(commandFor(chord("a"))).toBeNull();
    expect(commandFor(chord("r", { altKey: true }))).toBeNull();
    expect(commandFor(chord("r", { shiftKey: true }))).toBeNull();
  });

  it("acts once when the same command arrives twice at once", () => {
    let t = 1000;
    const pass = once(() => t);
    expect(pass("run")).toBe(true);
    t += 10;
    expect(pass("run")).toBe(false);
    expect(pass("save")).toBe(true);
    t += REPEAT_MS;
    expect(pass("save")).toBe(true);
  });
});
