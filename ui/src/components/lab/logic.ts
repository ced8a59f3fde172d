// Pure logic of the lab screens (tested with Vitest): plain sentences and number formats.
import type { DetectableRow, DurationRow, MethodRate } from "../../bindings";
import { count, fixed, money, pct, signed } from "../../state/format";

/** Method specs the peeking lab offers, with the names people know them by. */
export const PEEK_METHODS: { spec: string; label: string }[] = [
  { spec: "naive", label: "Naive: stop at the first p < α" },
  { spec: "gst:obf", label: "Group-sequential, O'Brien–Fleming spending" },
  { spec: "gst:pocock", label: "Group-sequential, Pocock spending" },
  { spec: "gst:haybittle-peto", label: "Group-sequential, Haybittle–Peto" },
  { spec: "msprt", label: "mSPRT (always valid)" },
  { spec: "cs", label: "Confidence sequence (always valid)" },
  { spec: "bayes:0.95", label: "Bayesian chance to beat ≥ 95 %" },
];

/** The glossary term that explains a peeking method (its spec's family), or null when the glossary has none. */
export function methodTerm(spec: string): string | null {
  const family = spec.split(":")[0];
  const terms: Record<string, string> = { naive: "naive_peeking", gst: "gst", msprt: "msprt", cs: "confidence_sequence" };
  return (family && terms[family]) ?? null;
}

/** Half-width of an interval around its estimate, the larger side. */
export function halfWidth(m: MethodRate): number {
  return Math.max(m.rate - m.interval[0], m.interval[1] - m.rate);
}

/** "12.3 % (11.8–12.8)". */
export function rateWithInterval(m: MethodRate): string {
  return `${pct(m.rate)} (${fixed(100 * m.interval[0], 1)}–${fixed(100 * m.interval[1], 1)})`;
}

/** A p-value for people: "< 0.001" below a thousandth. */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "—";
  return p < 0.001 ? `< ${fixed(0.001, 3)}` : fixed(p, 3);
}

/** An effect in the metric's units: percentage points for rates, money (in `currency` when given) for means. */
export function signedEffect(x: number | null | undefined, binary: boolean, digits = 2, currency?: string | null): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (binary) return `${signed(100 * x, digits)} pp`;
  if (!currency) return signed(x, digits);
  const sign = x > 0 ? "+" : "";
  return `${sign}${money(x, currency)}`;
}

/** "In 4 weeks (28,000 users per arm) you can detect a lift of 12.5 % (5.00 % → 5.63 %)." */
export function detectableSentence(row: DetectableRow, baseline: number, binary: boolean, currency?: string | null): string {
  const users = `${count(row.users_per_arm)} users per arm`;
  if (row.relative === null || row.absolute === null) {
    return `In ${row.weeks} weeks (${users}) no lift is detectable with this power.`;
  }
  const to = binary
    ? `${pct(baseline, 2)} → ${pct(baseline + row.absolute, 2)}`
    : `${money(baseline, currency)} → ${money(baseline + row.absolute, currency)} per user`;
  return `In ${row.weeks} weeks (${users}) the smallest detectable lift is ${pct(row.relative, 1)} (${to}).`;
}

/** "A 2 % lift needs 385,000 users per arm: 193 days (about 28 weeks)." */
export function durationSentence(row: DurationRow): string {
  const weeks = row.days / 7;
  const span = row.days > 365 ? `over ${Math.floor(row.days / 365)} years` : weeks >= 2 ? `about ${Math.round(weeks)} weeks` : `${row.days} days`;
  return `A ${pct(row.relative, 0)} lift needs ${count(row.users_per_arm)} users per arm: ${count(row.days)} days (${span}).`;
}
