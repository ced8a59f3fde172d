// The Glossary (Help → Glossary, F1): the core's metrics and statistical terms, searchable.
import type { MetricDefDto, TermDto } from "../bindings";

/** One entry as the Glossary lists it. */
export interface Entry {
  id: string;
  name: string;
  definition: string;
  /** A metric's unit and direction ("% of users · higher is better"); empty for a term. */
  detail: string;
}

export function metricEntry(m: MetricDefDto): Entry {
  return { id: m.id, name: m.name, definition: m.definition, detail: `${m.unit_text} · ${m.better} is better` };
}

export function termEntry(t: TermDto): Entry {
  return { id: t.id, name: t.term, definition: t.definition, detail: "" };
}

/** Entries whose name, definition or unit contains every word of `query` (any case, any order). */
export function search(entries: Entry[], query: string): Entry[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== "");
  return entries.filter((e) => {
    const text = `${e.name} ${e.definition} ${e.detail}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** A tooltip's text for a metric: its definition, unit and direction. */
export function metricTip(m: MetricDefDto): string {
  return `${m.definition} Unit: ${m.unit_text}; ${m.better} is better.`;
}
