// Number formatting for people, in the user's locale (Intl.NumberFormat): the one formatter module.
// Shares as percentages, money in the scenario's currency, counts with their unit. Which metric is
// which unit is the core's (the vocabulary's `unit` and `unit_text`), never guessed from its id.

/**
 * The user's locale as the webview reports it; a POSIX/C locale (a session without a language set)
 * writes numbers without grouping ("8949"), so it reads as US English instead.
 */
export function userLocale(resolved = new Intl.NumberFormat().resolvedOptions().locale): string | undefined {
  return /posix|^c$|^und/i.test(resolved) ? "en-US" : undefined;
}

/** The locale numbers are written in: the user's, unless a test sets one. */
let locale: string | undefined = userLocale();

/** Sets the locale of every formatter (null: back to the user's). For tests. */
export function setNumberLocale(next: string | null) {
  locale = next ?? userLocale();
  cache.clear();
}

const cache = new Map<string, Intl.NumberFormat>();

function formatter(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

function missing(x: number | null | undefined): x is null | undefined {
  return x === null || x === undefined || !Number.isFinite(x);
}

/** Intl writes a hyphen-minus in some locales: people read the minus sign. */
function minus(text: string): string {
  return text.replace(/^-/, "−").replace(/(\s|^|\()-(?=\d|\p{Sc})/gu, "$1−");
}

/** A share (0–1) as a percentage: 0.1234 → "12.3%" (en-US), "12,3 %" (de-DE). */
export function pct(x: number | null | undefined, digits = 1): string {
  if (missing(x)) return "—";
  return minus(formatter({ style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x));
}

/** Money with two decimals, in `currency` when given ("$1.50", "1,50 €"); a bare amount without one. */
export function money(x: number | null | undefined, currency?: string | null): string {
  if (missing(x)) return "—";
  if (currency) {
    try {
      return minus(formatter({ style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x));
    } catch {
      // Not an ISO code Intl knows: the amount, then the code.
      return `${fixed(x, 2)} ${currency}`;
    }
  }
  return fixed(x, 2);
}

/** At most `digits` decimals: 1234.5 → "1,234.5". */
export function num(x: number | null | undefined, digits = 2): string {
  if (missing(x)) return "—";
  return minus(formatter({ maximumFractionDigits: digits }).format(x));
}

/** Exactly `digits` decimals, so numbers in one column line up ("1.20" beside "1.24", not "1.2"). */
export function fixed(x: number | null | undefined, digits = 2): string {
  if (missing(x)) return "—";
  return minus(formatter({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x));
}

/** A whole number: 5086 → "5,086". */
export function count(x: number): string {
  if (!Number.isFinite(x)) return "—";
  return minus(formatter({ maximumFractionDigits: 0 }).format(Math.round(x)));
}

/** A whole number with its unit: "5,086 users per arm", "1 user". */
export function counted(x: number, unit: string, singular?: string): string {
  return `${count(x)} ${Math.round(x) === 1 && singular ? singular : unit}`;
}

/** A signed number: "+1.25", "−0.40", "0.00". */
export function signed(x: number | null | undefined, digits = 2): string {
  if (missing(x)) return "—";
  return minus(formatter({ minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: "exceptZero" }).format(x));
}

/** A signed share as a relative change: 0.077 → "+7.7%". */
export function signedPct(x: number | null | undefined, digits = 1): string {
  if (missing(x)) return "—";
  return minus(
    formatter({ style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: "exceptZero" }).format(x),
  );
}

/** A percentage typed by a person back to a share: "12.5" → 0.125; null when it is not a number. */
export function shareFromPercent(text: string): number | null {
  const value = Number(text.trim().replace(",", ".").replace(/%$/, ""));
  return text.trim() !== "" && Number.isFinite(value) ? value / 100 : null;
}

/** A share as the number a percentage field shows: 0.125 → 12.5 (rounded off float noise). */
export function percentOf(share: number): number {
  return Number((share * 100).toPrecision(12));
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
  return new Date(unixSeconds * 1000).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}
