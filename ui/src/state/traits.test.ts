import { describe, expect, it } from "vitest";
import { segmentIndex, traitValue } from "./traits";

describe("trait values", () => {
  it("shows hours as clock times and offsets as UTC zones", () => {
    expect(traitValue("active_hours", 7)).toBe("07:00");
    expect(traitValue("active_hours", 24)).toBe("00:00");
    expect(traitValue("time_zones", -5)).toBe("UTC−5");
    expect(traitValue("time_zones", 0)).toBe("UTC");
    expect(traitValue("time_zones", 1)).toBe("UTC+1");
  });

  it("keeps the precision a trait needs", () => {
    expect(traitValue("churn_hazard", 0.0123)).toBe("0.012");
    expect(traitValue("visits_per_day", 1.456)).toBe("1.46");
    expect(traitValue("fatigue_tolerance", 12.34)).toBe("12.3");
    expect(traitValue("engagement", Number.NaN)).toBe("–");
  });

  it("shows a proportion as the percentage the form enters", () => {
    expect(traitValue("purchase_dropout", 0.25, true)).toBe("25 %");
    expect(traitValue("purchase_propensity", 0.083, true)).toBe("8.3 %");
    expect(traitValue("purchase_dropout", 0, true)).toBe("0 %");
    expect(traitValue("engagement", 0.5)).toBe("0.50");
  });

  it("finds the segment a form section is about", () => {
    expect(segmentIndex("population.segment[2]")).toBe(2);
    expect(segmentIndex("population.segment[2].channels")).toBeNull();
    expect(segmentIndex("simulation")).toBeNull();
  });
});
