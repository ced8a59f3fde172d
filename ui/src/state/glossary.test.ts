import { describe, expect, it } from "vitest";
import type { MetricDefDto, TermDto } from "../bindings";
import { metricEntry, metricTip, search, termEntry } from "./glossary";

// Shapes as the `vocabulary` command sends them (the words are placeholders, not the core's).
const metric: MetricDefDto = {
  id: "m_share",
  name: "Some share",
  definition: "Share of users who did a thing.",
  unit: "share",
  unit_text: "% of users",
  better: "lower",
};
const term: TermDto = { id: "t", term: "τ (tau)", definition: "A made-up statistic for the test." };

describe("glossary", () => {
  it("lists a metric with its unit and direction, a term with its definition", () => {
    expect(metricEntry(metric)).toEqual({
      id: "m_share",
      name: "Some share",
      definition: "Share of users who did a thing.",
      detail: "% of users · lower is better",
    });
    expect(termEntry(term).name).toBe("τ (tau)");
    expect(metricTip(metric)).toBe("Share of users who did a thing. Unit: % of users; lower is better.");
  });

  it("finds entries by every word of the query in their name, definition or unit, in any case", () => {
    const entries = [metricEntry(metric), termEntry(term)];
    expect(search(entries, "").length).toBe(2);
    expect(search(entries, "TAU").map((e) => e.id)).toEqual(["t"]);
    expect(search(entries, "users thing").map((e) => e.id)).toEqual(["m_share"]);
    expect(search(entries, "users statistic")).toEqual([]);
  });
});
