// The Compare screen's pure logic: metric values with their intervals, and the verdict on each line.
import type { CompareMetricDto } from "../bindings/CompareMetricDto";
import type { IntervalDto } from "../bindings/IntervalDto";
import { metricKind, money, num, pct } from "./format";

/** A value of metric `id` as shown: rates of rare events get two decimals. */
export function compareValue(id: string, x: number): string {
  const kind = metricKind(id);
  if (kind === "share") return pct(x, id === "opt_out_rate" || id === "uninstall_rate" ? 2 : 1);
  if (kind === "money") return money(x);
  return num(x, 2);
}

/** "12.3% (11.9–12.7%)": the mean and its 95 % interval; "—" when there is no value. */
export function intervalText(id: string, v: IntervalDto | null): { value: string; interval: string } {
  if (!v) return { value: "—", interval: "" };
  if (v.lower === v.upper) return { value: compareValue(id, v.value), interval: "" };
  return { value: compareValue(id, v.value), interval: `${compareValue(id, v.lower)} – ${compareValue(id, v.upper)}` };
}

/** What the last column says: the clear winner, or that there is none (and who leads). */
export function verdict(m: CompareMetricDto, journeys: string[]): { text: string; note: string; clear: boolean } {
  if (m.winner !== null) return { text: journeys[m.winner] ?? "", note: "", clear: true };
  if (m.leader !== null) return { text: "No clear winner", note: `${journeys[m.leader] ?? ""} leads`, clear: false };
  return { text: "—", note: "", clear: false };
}
