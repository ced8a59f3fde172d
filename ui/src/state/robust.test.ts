import { describe, expect, it } from "vitest";
import { parseCount, runsDone } from "./robust";

describe("robustness panel", () => {
  it("reads a typed count: empty is the default, separators are allowed, the rest is refused", () => {
    expect(parseCount("")).toEqual({ value: null });
    expect(parseCount(" 2,000 ")).toEqual({ value: 2000 });
    expect(parseCount("20_000")).toEqual({ value: 20000 });
    expect(parseCount("0")).toEqual({ value: 0 });
    expect(parseCount("99999999999")).toEqual({ value: 4294967295 });
    expect(parseCount("1.5")).toEqual({ error: "“1.5” is not a whole number." });
    expect(parseCount("-3")).toEqual({ error: "“-3” is not a whole number." });
    expect(parseCount("many")).toEqual({ error: "“many” is not a whole number." });
  });

  it("counts runs' worth of simulated users, never more than the runs", () => {
    expect(runsDone({ done: 0, total: 228000, elapsedMs: 0 }, 2000, 114)).toBe(0);
    expect(runsDone({ done: 5999, total: 228000, elapsedMs: 900 }, 2000, 114)).toBe(2);
    expect(runsDone({ done: 228000, total: 228000, elapsedMs: 9000 }, 2000, 114)).toBe(114);
    expect(runsDone({ done: 300000, total: 228000, elapsedMs: 9000 }, 2000, 114)).toBe(114);
    expect(runsDone({ done: 10, total: 10, elapsedMs: 1 }, 0, 114)).toBe(0);
  });
});
