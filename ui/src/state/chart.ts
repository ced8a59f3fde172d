// The chart component's pure logic: the size a chart is drawn at (the size it is shown), when to ask
// again, and its values as the "show as table" view formats them (shares as percentages, the rest in
// full with thousands separators; units are in the core's column names).
import type { ChartSource, DataTableDto } from "../bindings";
import type { ThemeName } from "./theme.svelte";

/** The width:height of charts drawn by the core (1000 × 620). */
export const CHART_ASPECT = 0.62;
/** The tallest a chart is drawn on a wide window, so a chart and its table toggle stay in view together. */
export const MAX_CHART_HEIGHT = 560;

/** The size (CSS pixels) to draw a chart shown `width` pixels wide; null before it has a width. */
export function chartSize(width: number, aspect = CHART_ASPECT): { width: number; height: number } | null {
  if (!Number.isFinite(width) || width < 1) return null;
  const w = Math.floor(width);
  return { width: w, height: Math.min(MAX_CHART_HEIGHT, Math.round(w * aspect)) };
}

/** What a chart shows, apart from its size: a new key is drawn at once, a new size only once resizing settles. */
export function contentKey(source: ChartSource, theme: ThemeName, revision: unknown): string {
  return JSON.stringify([source, theme, revision ?? null]);
}

/** Calls `f` once `ms` have passed without another call (a window being resized). */
export function debounce<A extends unknown[]>(f: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = (...args: A) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      f(...args);
    }, ms);
  };
  call.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return call;
}

const full = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

/** A cell as shown: a share as a percentage, a number with separators (6 significant digits), text as it is. */
export function formatCell(cell: string, share: boolean): string {
  const trimmed = cell.trim();
  if (trimmed === "") return "—";
  const x = Number(trimmed);
  if (!Number.isFinite(x)) return cell;
  const minus = x < 0 ? "−" : "";
  const size = Math.abs(x);
  if (share) return `${minus}${percent.format(100 * size)}%`;
  return `${minus}${Number.isInteger(size) ? whole.format(size) : full.format(size)}`;
}

/** One cell of the table view: as shown, and its exact number (null for text and empty cells). */
export interface Cell {
  text: string;
  exact: string | null;
}

/** Every cell of a chart's table as shown. */
export function formatTable(table: DataTableDto): Cell[][] {
  const shares = new Set(table.share_columns);
  return table.rows.map((row) =>
    row.map((cell, i) => {
      const number = cell.trim() !== "" && Number.isFinite(Number(cell));
      return { text: formatCell(cell, shares.has(i)), exact: number ? cell : null };
    }),
  );
}

/** The chart's text alternative in one line: what it shows and where its values are. */
export function altText(title: string, table: DataTableDto): string {
  const columns = table.columns.filter((c) => c.trim() !== "");
  const rows = table.rows.length === 1 ? "1 row" : `${table.rows.length} rows`;
  return `${title}. ${rows} of ${columns.join(", ")}: choose “Show as table” for the values.`;
}
