// The Robustness panel's pure logic: what was typed in a count field, how far the sweep is.
import type { ProgressState } from "./progress";

/** Largest value an IPC count (u32) can hold. */
const U32_MAX = 4_294_967_295;

/**
 * A count typed by a person: null when empty (the core's default), a whole number (the core
 * checks its bounds), or an error message when it is not a whole number at all.
 */
export function parseCount(text: string): { value: number | null } | { error: string } {
  const cleaned = text.replace(/[_,\s]/g, "");
  if (cleaned === "") return { value: null };
  const n = Number(cleaned);
  if (!/^\d+$/.test(cleaned) || !Number.isSafeInteger(n)) return { error: `“${text.trim()}” is not a whole number.` };
  return { value: Math.min(n, U32_MAX) };
}

/** Runs' worth of users simulated so far (runs go in parallel, so this counts finished work, not runs ended). */
export function runsDone(p: ProgressState, usersPerRun: number, runs: number): number {
  if (usersPerRun <= 0) return 0;
  return Math.min(runs, Math.floor(p.done / usersPerRun));
}
