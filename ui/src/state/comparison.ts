// The Compare screen's pure logic: metric values with their intervals, and the verdict on each line; the
// Results screen formats its values and differences with the same functions.
// Units come from the core (each metric's `unit`); only the precision of rare events' rates is chosen here.
import type { CompareMetricDto, CompareView, IntervalDto, PrimaryVerdictDto } from "../bindings";
import { fixed, money, pct } from "./format";

/** What formatting needs of a metric: a comparison's metric or the vocabulary's definition. */
export type Measured = Pick<CompareMetricDto, "id" | "unit">;

/** Shares of rare events (opt-outs, uninstalls) get two decimals. */
function shareDigits(m: Measured): number {
  return m.id === "opt_out_rate" || m.id === "uninstall_rate" ? 2 : 1;
}

/** A value of metric `m` as shown, in its unit. */
export function compareValue(m: Measured, x: number): string {
  if (m.unit === "share") return pct(x, shareDigits(m));
  if (m.unit === "money") return money(x);
  return fixed(x, 2);
}

/** "12.3% (11.9–12.7%)": the mean and its 95 % interval; "—" when there is no value. */
export function intervalText(m: CompareMetricDto, v: IntervalDto | null): { value: string; interval: string } {
  if (!v) return { value: "—", interval: "" };
  if (v.lower === v.upper) return { value: compareValue(m, v.value), interval: "" };
  return { value: compareValue(m, v.value), interval: `${compareValue(m, v.lower)} – ${compareValue(m, v.upper)}` };
}

/** What the last column says: the clear winner, or that there is none (and who leads). */
export function verdict(m: CompareMetricDto, journeys: string[]): { text: string; note: string; clear: boolean } {
  if (m.winner !== null) return { text: journeys[m.winner] ?? "", note: "", clear: true };
  if (m.leader !== null) return { text: "No clear winner", note: `${journeys[m.leader] ?? ""} leads`, clear: false };
  return { text: "—", note: "", clear: false };
}

/** How a difference from the baseline reads in the metric's good direction. */
export type Tone = "better" | "worse" | "inconclusive";

/** A signed difference in the metric's unit: shares in percentage points, money with its sign. */
export function signedValue(m: Measured, x: number): string {
  const share = m.unit === "share";
  const size = share ? 100 * Math.abs(x) : Math.abs(x);
  const usual = share ? shareDigits(m) : 2;
  // A difference too small for the usual decimals keeps up to two more, so "worse" never sits beside "0.0".
  let digits = usual;
  while (digits < usual + 2 && size !== 0 && Number(size.toFixed(digits)) === 0) digits++;
  const zero = Number(size.toFixed(digits)) === 0;
  if (zero) digits = usual;
  const text = share ? `${size.toFixed(digits)} pp` : m.unit === "money" ? size.toFixed(digits) : fixed(size, digits);
  // What still rounds to zero has no sign: "±0.00", never "−0.00".
  const sign = zero ? "±" : x > 0 ? "+" : "−";
  return `${sign}${text}`;
}

/**
 * Journey `i` against the baseline (the first journey): the paired difference with its 95 % interval, and
 * "better"/"worse" when the interval excludes 0 in the metric's good direction; null for the baseline.
 */
export function differenceText(m: CompareMetricDto, i: number): { text: string; interval: string; tone: Tone } | null {
  const d = m.vs_baseline[i];
  if (!d) return null;
  const sign = m.better === "lower" ? -1 : 1;
  const [low, high] = sign > 0 ? [d.lower, d.upper] : [-d.upper, -d.lower];
  const tone: Tone = low > 0 ? "better" : high < 0 ? "worse" : "inconclusive";
  return { text: signedValue(m, d.value), interval: `${signedValue(m, d.lower)} to ${signedValue(m, d.upper)}`, tone };
}

/**
 * The verdict with `chosen` as the primary metric (switched on screen), or with the scenario's (`view.primary`)
 * when nothing is chosen or the comparison cannot rank by the chosen one; each decided by the core.
 */
export function verdictFor(view: Pick<CompareView, "primary" | "verdicts">, chosen: string | null): PrimaryVerdictDto | null {
  const by = (id: string) => view.verdicts.find((v) => v.metric === id) ?? null;
  return (chosen !== null ? by(chosen) : null) ?? by(view.primary);
}

/** The guardrails the shipped design must not make worse: the core's, less the primary metric itself. */
export function guardrailsBeside(guardrails: string[], primary: string): string[] {
  return guardrails.filter((g) => g !== primary);
}
