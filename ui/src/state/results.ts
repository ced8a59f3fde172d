// The Results screen's pure logic: one run's values and each design's difference from the baseline (the
// scenario's first journey), in the metric's unit. One run has no interval: no difference is judged here.
import type { MetricRow } from "../bindings";
import { compareValue, signedValue, type Measured } from "./comparison";

/** Per journey: the value as shown, and its difference from the baseline (null for the baseline or a missing value). */
export function fromBaseline(m: Measured, row: MetricRow): { value: string; difference: string | null }[] {
  const base = row.values[0] ?? null;
  return row.values.map((x, i) => ({
    value: x === null ? "—" : compareValue(m, x),
    difference: i === 0 || x === null || base === null ? null : signedValue(m, x - base),
  }));
}
