import { describe, expect, it } from "vitest";
import { detectableSentence, durationSentence, signedEffect, halfWidth, pValue, rateWithInterval } from "./logic";

describe("lab logic", () => {
  it("measures the interval's larger side", () => {
    const m = { method: "naive", title: "Naive: p < α at every look", rate: 0.2, interval: [0.19, 0.215] as [number, number], declared: 10 };
    expect(halfWidth(m)).toBeCloseTo(0.015, 12);
    expect(rateWithInterval(m)).toBe("20.0% (19.0–21.5)");
  });

  it("writes p-values and effects for people", () => {
    expect(pValue(0.0004)).toBe("< 0.001");
    expect(pValue(0.0432)).toBe("0.043");
    expect(signedEffect(0.0042, true)).toBe("+0.42 pp");
    expect(signedEffect(-1.5, false)).toBe("−1.50");
    expect(signedEffect(0.25, false, 2, "USD")).toBe("+$0.25");
    expect(signedEffect(-0.25, false, 2, "EUR")).toBe("−€0.25");
    expect(signedEffect(0, true)).toBe("0.00 pp");
  });

  it("says plainly what the traffic can and cannot detect", () => {
    expect(detectableSentence({ weeks: 4, users_per_arm: 28000, absolute: 0.00625, relative: 0.125 }, 0.05, true)).toBe(
      "In 4 weeks (28,000 users per arm) the smallest detectable lift is 12.5% (5.00% → 5.63%).",
    );
    expect(detectableSentence({ weeks: 2, users_per_arm: 3, absolute: null, relative: null }, 0.5, true)).toContain(
      "no lift is detectable",
    );
    expect(detectableSentence({ weeks: 4, users_per_arm: 28000, absolute: 0.5, relative: 0.1 }, 5, false, "USD")).toBe(
      "In 4 weeks (28,000 users per arm) the smallest detectable lift is 10.0% ($5.00 → $5.50 per user).",
    );
    expect(durationSentence({ relative: 0.02, users_per_arm: 385000, days: 193 })).toBe(
      "A 2% lift needs 385,000 users per arm: 193 days (about 28 weeks).",
    );
    expect(durationSentence({ relative: 0.01, users_per_arm: 1.5e6, days: 800 })).toContain("over 2 years");
  });
});
