// Showing a drawn trait's numbers: hours and offsets as clock values, shares and rates with their precision.

/** A value of trait `id` as the form shows it; a proportion (`percent`) as the form enters it, in %. */
export function traitValue(id: string, value: number, percent = false): string {
  if (!Number.isFinite(value)) return "–";
  if (percent) {
    const p = value * 100;
    return `${p !== 0 && Math.abs(p) < 10 ? p.toFixed(1) : p.toFixed(0)} %`;
  }
  switch (id) {
    case "active_hours":
      return `${String(Math.round(value) % 24).padStart(2, "0")}:00`;
    case "time_zones": {
      const h = Math.round(value);
      return h === 0 ? "UTC" : `UTC${h > 0 ? "+" : "−"}${Math.abs(h)}`;
    }
    case "churn_hazard":
      return value.toFixed(3);
    default:
      return value < 10 ? value.toFixed(2) : value.toFixed(1);
  }
}

/** The segment index a form section is about (`population.segment[2]` → 2), or null. */
export function segmentIndex(section: string): number | null {
  const m = /^population\.segment\[(\d+)\]$/.exec(section);
  return m ? Number(m[1]) : null;
}
