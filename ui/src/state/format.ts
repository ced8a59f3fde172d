// Number formatting for people: shares as percentages, money with two decimals.

export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${(100 * x).toFixed(digits)}%`;
}

export function money(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const sign = x < 0 ? "−" : "";
  return `${sign}${Math.abs(x).toFixed(2)}`;
}

export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return x.toLocaleString("en-US", { maximumFractionDigits: digits });
}

export function count(x: number): string {
  return Math.round(x).toLocaleString("en-US");
}

/** "42 s", "3 min 5 s", "1 h 2 min". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A date and time from Unix seconds, in the user's locale. */
export function when(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A metric key from the results schema as a label: "retention_d30" → "Retention D30". */
export function metricLabel(key: string): string {
  const words = key.split("_").map((w) => (/^d\d+$/.test(w) ? w.toUpperCase() : w));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether a metric key is a share (shown as %), money (per user) or a plain number. */
export function metricKind(key: string): "share" | "money" | "count" | "number" {
  if (/(retention|survival|conversion|share|rate)/.test(key)) return "share";
  if (/(revenue|margin|cost)/.test(key)) return "money";
  if (key === "users" || key === "entered" || key === "held_out") return "count";
  return "number";
}

export function metricValue(key: string, x: number | null): string {
  switch (metricKind(key)) {
    case "share":
      return pct(x);
    case "money":
      return money(x);
    case "count":
      return x === null ? "—" : count(x);
    default:
      return num(x, 3);
  }
}
