import { describe, expect, it } from "vitest";
import { duration, money, pct } from "./format";
import { etaSeconds, fraction } from "./progress";

describe("format", () => {
  it("shows shares as percentages and missing values as a dash", () => {
    expect(pct(0.1234)).toBe("12.3%");
    expect(pct(null)).toBe("—");
    expect(pct(Number.NaN)).toBe("—");
    expect(money(-1.5)).toBe("−1.50");
  });
  it("writes durations people read", () => {
    expect(duration(42)).toBe("42 s");
    expect(duration(185)).toBe("3 min 5 s");
    expect(duration(3720)).toBe("1 h 2 min");
  });
});

describe("progress", () => {
  it("estimates time left from the rate so far", () => {
    expect(fraction({ done: 25, total: 100, elapsedMs: 1000 })).toBe(0.25);
    expect(etaSeconds({ done: 25, total: 100, elapsedMs: 2000 })).toBeCloseTo(6);
  });
  it("gives no estimate before there is anything to go on", () => {
    expect(etaSeconds({ done: 0, total: 100, elapsedMs: 5000 })).toBeNull();
    expect(etaSeconds({ done: 10, total: 100, elapsedMs: 100 })).toBeNull();
    expect(etaSeconds({ done: 100, total: 100, elapsedMs: 9000 })).toBe(0);
  });
});
