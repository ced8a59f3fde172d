// Run progress: share done and a remaining-time estimate.

export interface ProgressState {
  done: number;
  total: number;
  elapsedMs: number;
}

export function fraction(p: ProgressState): number {
  if (p.total <= 0) return 0;
  return Math.min(1, Math.max(0, p.done / p.total));
}

/**
 * Seconds left, assuming the rate so far continues; null until there is
 * enough to go on (some users done and at least half a second elapsed).
 */
export function etaSeconds(p: ProgressState): number | null {
  const f = fraction(p);
  if (f <= 0 || p.elapsedMs < 500) return null;
  if (f >= 1) return 0;
  return ((p.elapsedMs / 1000) * (1 - f)) / f;
}
