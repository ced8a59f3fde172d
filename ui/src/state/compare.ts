// Which journey wins a metric.

export type Direction = "higher" | "lower";

/** Index of the best value, or null when there is no single best (ties, fewer than two values). */
export function best(values: (number | null)[], better: Direction): number | null {
  const known = values.map((v, i) => [v, i] as const).filter((p): p is readonly [number, number] => p[0] !== null && Number.isFinite(p[0]));
  if (known.length < 2) return null;
  const sign = better === "higher" ? 1 : -1;
  const top = Math.max(...known.map(([v]) => sign * v));
  const winners = known.filter(([v]) => sign * v === top);
  return winners.length === 1 ? (winners[0]?.[1] ?? null) : null;
}
