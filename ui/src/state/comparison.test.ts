import { describe, expect, it } from "vitest";
import type { CompareMetricDto } from "../bindings";
import { differenceText, guardrailsBeside, intervalText, verdict, verdictFor } from "./comparison";

const metric = (over: Partial<CompareMetricDto>): CompareMetricDto => ({
  id: "retention_d30",
  label: "Active on day 30",
  better: "higher",
  unit: "share",
  values: [],
  vs_baseline: [],
  winner: null,
  leader: null,
  lead: null,
  ...over,
});

describe("comparison", () => {
  it("shows a mean with its interval in the metric's unit", () => {
    expect(intervalText(metric({}), { value: 0.123, lower: 0.119, upper: 0.127 })).toEqual({
      value: "12.3%",
      interval: "11.9% – 12.7%",
    });
    expect(intervalText(metric({ id: "opt_out_rate" }), { value: 0.0012, lower: 0.0012, upper: 0.0012 })).toEqual({ value: "0.12%", interval: "" });
    expect(intervalText(metric({ id: "net_margin_per_user", unit: "money" }), null)).toEqual({ value: "—", interval: "" });
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

  it("reads a difference from the baseline in the metric's good direction", () => {
    const m = metric({ vs_baseline: [null, { value: 0.0015, lower: 0.0004, upper: 0.0026 }, { value: -0.01, lower: -0.02, upper: 0.001 }] });
    expect(differenceText(m, 0)).toBeNull();
    expect(differenceText(m, 1)).toEqual({ text: "+0.1 pp", interval: "+0.04 pp to +0.3 pp", tone: "better" });
    expect(differenceText(m, 2)?.tone).toBe("inconclusive");
    const fewer = metric({ id: "opt_out_rate", better: "lower", vs_baseline: [null, { value: 0.02, lower: 0.01, upper: 0.03 }] });
    expect(differenceText(fewer, 1)).toEqual({ text: "+2.00 pp", interval: "+1.00 pp to +3.00 pp", tone: "worse" });
    const money = metric({ id: "net_margin_per_user", unit: "money", vs_baseline: [null, { value: -0.13, lower: -0.16, upper: -0.11 }] });
    expect(differenceText(money, 1)).toEqual({ text: "−0.13", interval: "−0.16 to −0.11", tone: "worse" });
    // The unit is the core's, whatever the id says.
    const messages = metric({ id: "messages_per_user", unit: "count", vs_baseline: [null, { value: 1.5, lower: 1, upper: 2 }] });
    expect(differenceText(messages, 1)?.text).toBe("+1.50");
  });
});

describe("the primary metric", () => {
  const verdictOf = (metric: string, text: string) => ({
    metric,
    verdict: { recommendation: "ship" as const, journey: 1, text },
  });
  const view = {
    primary: "net_margin_per_user",
    verdicts: [verdictOf("net_margin_per_user", "Reminder earns 0.13 USD more"), verdictOf("retention_d30", "Coupon beats reminder on D30 retention")],
  };

  it("shows the verdict for the metric chosen on screen, else the scenario's", () => {
    expect(verdictFor(view, null)?.verdict.text).toBe("Reminder earns 0.13 USD more");
    expect(verdictFor(view, "retention_d30")?.verdict.text).toBe("Coupon beats reminder on D30 retention");
    expect(verdictFor(view, "bgnbd_p_alive")?.metric, "not rankable here: the scenario's").toBe("net_margin_per_user");
    expect(verdictFor({ primary: "x", verdicts: [] }, null)).toBeNull();
  });

  it("is not its own guardrail", () => {
    const guardrails = ["retention_d30", "survival_12m", "opt_out_rate", "uninstall_rate"];
    expect(guardrailsBeside(guardrails, "retention_d30")).toEqual(["survival_12m", "opt_out_rate", "uninstall_rate"]);
    expect(guardrailsBeside(guardrails, "net_margin_per_user")).toEqual(guardrails);
  });
});
