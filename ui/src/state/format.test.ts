import { afterEach, describe, expect, it } from "vitest";
import { count, counted, duration, fixed, money, num, pct, percentOf, setNumberLocale, shareFromPercent, signed, signedPct, userLocale } from "./format";
import { etaSeconds, fraction } from "./progress";

describe("format", () => {
  afterEach(() => setNumberLocale(null));

  it("shows shares as percentages and missing values as a dash", () => {
    setNumberLocale("en-US");
    expect(pct(0.1234)).toBe("12.3%");
    expect(pct(0.05, 0)).toBe("5%");
    expect(pct(null)).toBe("—");
    expect(pct(Number.NaN)).toBe("—");
    expect(money(-1.5)).toBe("−1.50");
  });

  it("writes money in the scenario's currency", () => {
    setNumberLocale("en-US");
    expect(money(1234.5, "USD")).toBe("$1,234.50");
    expect(money(-1.5, "USD")).toBe("−$1.50");
    expect(money(2, "EUR")).toBe("€2.00");
    setNumberLocale("de-DE");
    expect(money(1234.5, "EUR")).toBe("1.234,50\u00a0€");
    expect(money(-1.5, "EUR")).toBe("−1,50\u00a0€");
  });

  it("follows the locale: separators, decimal marks and the percent sign", () => {
    setNumberLocale("en-US");
    expect(count(5086)).toBe("5,086");
    expect(num(1234.567)).toBe("1,234.57");
    expect(fixed(1.2, 2)).toBe("1.20");
    setNumberLocale("de-DE");
    expect(count(5086)).toBe("5.086");
    expect(pct(0.1234)).toBe("12,3\u00a0%");
    expect(fixed(1.2, 2)).toBe("1,20");
    setNumberLocale("fr-FR");
    // French groups thousands with a narrow no-break space.
    expect(count(5086)).toBe("5\u202f086");
  });

  it("reads a POSIX session as US English, any other locale as the user's own", () => {
    expect(userLocale("en-US-u-va-posix")).toBe("en-US");
    expect(userLocale("und")).toBe("en-US");
    expect(userLocale("de-DE")).toBeUndefined();
    expect(userLocale("en-GB")).toBeUndefined();
  });

  it("puts the unit beside the number", () => {
    setNumberLocale("en-US");
    expect(counted(5086, "users per arm")).toBe("5,086 users per arm");
    expect(counted(1, "users", "user")).toBe("1 user");
    expect(counted(2, "users", "user")).toBe("2 users");
  });

  it("signs differences with a real minus", () => {
    setNumberLocale("en-US");
    expect(signed(1.254)).toBe("+1.25");
    expect(signed(-0.4)).toBe("−0.40");
    expect(signed(0)).toBe("0.00");
    expect(signedPct(0.077)).toBe("+7.7%");
    expect(signedPct(-0.012)).toBe("−1.2%");
  });

  it("reads percentages people type back to shares and shows shares as percent fields", () => {
    expect(shareFromPercent("12.5")).toBe(0.125);
    expect(shareFromPercent("5,5 %".replace(" ", ""))).toBe(0.055);
    expect(shareFromPercent("")).toBeNull();
    expect(shareFromPercent("abc")).toBeNull();
    expect(percentOf(0.07)).toBe(7);
    expect(percentOf(0.123)).toBe(12.3);
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
