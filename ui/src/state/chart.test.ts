import { afterEach, describe, expect, it, vi } from "vitest";
import { altText, chartSize, contentKey, debounce, formatCell, formatTable, MAX_CHART_HEIGHT } from "./chart";

describe("chart sizing", () => {
  it("draws at the width shown, in the core's proportions, never taller than the cap", () => {
    expect(chartSize(800.7)).toEqual({ width: 800, height: 496 });
    expect(chartSize(560, 360 / 560)).toEqual({ width: 560, height: 360 });
    expect(chartSize(3000)).toEqual({ width: 3000, height: MAX_CHART_HEIGHT });
    expect(chartSize(0)).toBeNull();
    expect(chartSize(Number.NaN)).toBeNull();
  });

  it("tells a new chart (source, theme, revision) from the same chart at another size", () => {
    const source = { kind: "comparison", chart: "retention" } as const;
    const key = contentKey(source, "light", null);
    expect(contentKey({ ...source }, "light", undefined)).toBe(key);
    expect(contentKey(source, "dark", null)).not.toBe(key);
    expect(contentKey({ kind: "comparison", chart: "cumulative_margin" }, "light", null)).not.toBe(key);
    expect(contentKey({ kind: "monitor", chart: "monitor-p", through: 3 }, "light", null)).not.toBe(
      contentKey({ kind: "monitor", chart: "monitor-p", through: 4 }, "light", null),
    );
    expect(contentKey({ kind: "peeking" }, "light", 2000)).not.toBe(contentKey({ kind: "peeking" }, "light", 4000));
  });
});

describe("debounce", () => {
  afterEach(() => vi.useRealTimers());

  it("calls once with the last arguments after a quiet spell, and can be cancelled", () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const f = debounce((w: number) => seen.push(w), 150);
    f(500);
    f(520);
    vi.advanceTimersByTime(149);
    f(540);
    vi.advanceTimersByTime(149);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([540]);
    f(600);
    f.cancel();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([540]);
  });
});

describe("the table view", () => {
  it("shows shares as percentages and numbers in full with separators", () => {
    expect(formatCell("0.39215686274509803", true)).toBe("39.22%");
    expect(formatCell("0.0012", true)).toBe("0.12%");
    expect(formatCell("1", true)).toBe("100%");
    expect(formatCell("1234.5678", false)).toBe("1,234.57");
    expect(formatCell("-0.000123456", false)).toBe("−0.000123456");
    expect(formatCell("42", false)).toBe("42");
    expect(formatCell("120000", false)).toBe("120,000");
    expect(formatCell("", false)).toBe("—");
    expect(formatCell("reminder", false)).toBe("reminder");
    expect(formatCell("naive peeking, exact", true)).toBe("naive peeking, exact");
  });

  it("formats each column by the core's share columns, and says where the values are", () => {
    const table = {
      title: "Survival (not yet lost), by days since arrival",
      columns: ["strategy", "series", "days since arrival", "share not yet lost", "lower (95 %)", "upper (95 %)"],
      rows: [["coupon", "simulated", "30", "0.635", "", ""]],
      share_columns: [3, 4, 5],
    };
    expect(formatTable(table)).toEqual([
      [
        { text: "coupon", exact: null },
        { text: "simulated", exact: null },
        { text: "30", exact: "30" },
        { text: "63.5%", exact: "0.635" },
        { text: "—", exact: null },
        { text: "—", exact: null },
      ],
    ]);
    expect(altText(table.title, table)).toBe(
      "Survival (not yet lost), by days since arrival. 1 row of strategy, series, days since arrival, share not yet lost, lower (95 %), upper (95 %): choose “Show as table” for the values.",
    );
  });
});
