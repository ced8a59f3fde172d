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
    const none = fromBaseline({ id: "full_price_share", unit: "share" }, { metric: "full_price_share", values: [null, 0.5] });
    expect(none[1]?.difference).toBeNull();
  });
});
