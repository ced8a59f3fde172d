import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { ipc } from "./index";

beforeEach(() => {
  (globalThis as unknown as { window: unknown }).window = globalThis;
  mockWindows("main");
});
afterEach(() => clearMocks());

describe("canvas ipc", () => {
  it("sends one edit with the journey index and returns the new text", async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe("canvas_edit");
      expect(args).toEqual({ toml: "t", journey: 1, edit: { op: "move", node: "wait", x: 10, y: 20 } });
      return "t2";
    });
    expect(await ipc.canvasEdit("t", 1, { op: "move", node: "wait", x: 10, y: 20 })).toBe("t2");
  });

  it("rejects with the app's error object", async () => {
    mockIPC(() => {
      throw { code: "not-found", message: "journey[0] has no node with id \"x\"", location: null, diagnostics: [] };
    });
    await expect(ipc.canvasGraph("t", 0)).rejects.toMatchObject({ code: "not-found" });
  });
});
