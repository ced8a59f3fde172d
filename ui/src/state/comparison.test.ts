import { describe, expect, it } from "vitest";
import type { CompareMetricDto } from "../bindings/CompareMetricDto";
import { intervalText, verdict } from "./comparison";

const metric = (over: Partial<CompareMetricDto>): CompareMetricDto => ({
  id: "retention_d30",
  label: "Still active at D30",
  better: "higher",
  values: [],
  winner: null,
  leader: null,
  lead: null,
  ...over,
});

describe("comparison", () => {
  it("shows a mean with its interval in the metric's unit", () => {
    expect(intervalText("retention_d30", { value: 0.123, lower: 0.119, upper: 0.127 })).toEqual({
      value: "12.3%",
      interval: "11.9% – 12.7%",
    });
    expect(intervalText("opt_out_rate", { value: 0.0012, lower: 0.0012, upper: 0.0012 })).toEqual({ value: "0.12%", interval: "" });
    expect(intervalText("net_margin_per_user", null)).toEqual({ value: "—", interval: "" });
  });

  it("names a clear winner and only a leader when the lead is within its interval", () => {
    const journeys = ["no journey", "weekly sale"];
    const lead = { value: 0.02, lower: 0.01, upper: 0.03 };
    expect(verdict(metric({ winner: 1, lead }), journeys)).toEqual({ text: "weekly sale", note: "", clear: true });
    expect(verdict(metric({ leader: 0, lead: { ...lead, lower: -0.01 } }), journeys)).toEqual({
      text: "No clear winner",
      note: "no journey leads",
      clear: false,
    });
    expect(verdict(metric({}), journeys)).toEqual({ text: "—", note: "", clear: false });
  });
});
