import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { asIpcError, ipc } from "./index";

// The ipc module in Node: give the mocks a window to live on.
beforeEach(() => {
  (globalThis as unknown as { window: unknown }).window = globalThis;
  mockWindows("main");
});
afterEach(() => clearMocks());

describe("ipc", () => {
  it("passes arguments under the command's parameter names", async () => {
    mockIPC((cmd, args) => {
      expect(cmd).toBe("set_field");
      expect(args).toEqual({ toml: "a = 1", path: "a", value: "2" });
      return "a = 2";
    });
    expect(await ipc.setField("a = 1", "a", "2")).toBe("a = 2");
  });

  it("rejects with the app's error object", async () => {
    mockIPC(() => {
      throw { code: "scenario.invalid", message: "bad", location: { line: 3, column: 1, path: "simulation.users" }, diagnostics: [] };
    });
    await expect(ipc.checkScenario("x")).rejects.toMatchObject({ code: "scenario.invalid", location: { line: 3 } });
  });

  it("asks the core for the robustness sweep's size and exports under the commands' parameter names", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "robust_plan" ? { runs: 114, users_per_run: 2000, text: "114 runs of 2,000 users" } : "/tmp/robust.json";
    });
    expect((await ipc.robustPlan("a = 1", { samples: 8, users: null })).runs).toBe(114);
    expect(await ipc.exportRobust("json", null)).toBe("/tmp/robust.json");
    expect(seen).toEqual([
      ["robust_plan", { toml: "a = 1", options: { samples: 8, users: null } }],
      ["export_robust", { format: "json", chart: null }],
    ]);
  });

  it("wraps anything else as ipc.failed", () => {
    expect(asIpcError("boom")).toEqual({ code: "ipc.failed", message: "boom", location: null, diagnostics: [] });
  });
});
