import { describe, expect, it } from "vitest";
import { fromBaseline } from "./results";

describe("results", () => {
  it("shows each design's difference from the first journey in the metric's unit", () => {
    const share = fromBaseline({ id: "retention_d30", unit: "share" }, { metric: "retention_d30", values: [0.063, 0.071, null] });
    expect(share).toEqual([
      { value: "6.3%", difference: null },
      { value: "7.1%", difference: "+0.8 pp" },
      { value: "—", difference: null },
    ]);
    const money = fromBaseline({ id: "net_margin_per_user", unit: "money" }, { metric: "net_margin_per_user", values: [1.5, 1.37] });
    expect(money[1]).toEqual({ value: "1.37", difference: "−0.13" });
    const counts = fromBaseline({ id: "messages_per_user", unit: "count" }, { metric: "messages_per_user", values: [0, 1.2, 0.0003, 1e-9] });
    expect(counts.map((c) => [c.value, c.difference])).toEqual([
      ["0.00", null],
      ["1.20", "+1.20"],
      ["0.00", "+0.0003"],
      ["0.00", "±0.00"],
    ]);
    const tiny = fromBaseline({ id: "retention_d30", unit: "share" }, { metric: "retention_d30", values: [0.0651, 0.0648] });
    expect(tiny[1]?.difference).toBe("−0.03 pp");
    const none = fromBaseline({ id: "full_price_share", unit: "share" }, { metric: "full_price_share", values: [null, 0.5] });
    expect(none[1]?.difference).toBeNull();
  });
});
