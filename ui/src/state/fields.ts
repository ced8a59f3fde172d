// The scenario form: fields grouped by section, diagnostics attached to the field they are about.
import type { DiagnosticDto, FieldDto } from "../bindings";

export interface Section {
  id: string;
  title: string;
  fields: FieldDto[];
  /** Diagnostics about the section itself (e.g. a missing field). */
  diagnostics: DiagnosticDto[];
}

/** "population.segment[1]" → "Segment 2", "journey[0].node[2]" → "Journey 1 › Step 3". */
export function sectionTitle(section: string, names: Map<string, string> = new Map()): string {
  if (section === "") return "General";
  const parts = section.split(".").map((part) => {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    const word = (m ? m[1] : part) ?? part;
    const label = word === "node" ? "Step" : word.charAt(0).toUpperCase() + word.slice(1).replace(/_/g, " ");
    return m ? `${label} ${Number(m[2]) + 1}` : label;
  });
  const useful = parts.filter((p) => p !== "Population" || parts.length === 1);
  const title = useful.join(" › ");
  const name = names.get(section);
  return name ? `${title} · ${name}` : title;
}

/** Groups fields by section in file order, naming each by its `name`/`id` field when it has one. */
export function sections(fields: FieldDto[], diagnostics: DiagnosticDto[]): Section[] {
  const names = new Map<string, string>();
  for (const f of fields) {
    if ((f.label === "name" || f.label === "id") && !names.has(f.section)) names.set(f.section, f.value);
  }
  const out = new Map<string, Section>();
  for (const f of fields) {
    let s = out.get(f.section);
    if (!s) {
      s = { id: f.section, title: sectionTitle(f.section, names), fields: [], diagnostics: [] };
      out.set(f.section, s);
    }
    s.fields.push(f);
  }
  const byField = attach(fields, diagnostics);
  for (const d of byField.unplaced) {
    const home = [...out.values()].filter((s) => s.id !== "" && (d.path === s.id || d.path.startsWith(s.id + ".")));
    const best = home.sort((a, b) => b.id.length - a.id.length)[0];
    if (best) best.diagnostics.push(d);
  }
  return [...out.values()];
}

export interface Attached {
  /** Diagnostics per field path. */
  byPath: Map<string, DiagnosticDto[]>;
  /** Diagnostics that name no field of the form (missing fields, whole tables, syntax). */
  unplaced: DiagnosticDto[];
}

/**
 * Puts each diagnostic at its field: the field with exactly its path, else the
 * first field inside it (a diagnostic about `x.visits` lands on `x.visits.mean`).
 */
export function attach(fields: FieldDto[], diagnostics: DiagnosticDto[]): Attached {
  const byPath = new Map<string, DiagnosticDto[]>();
  const unplaced: DiagnosticDto[] = [];
  for (const d of diagnostics) {
    const field =
      fields.find((f) => f.path === d.path) ??
      (d.path === "" ? undefined : fields.find((f) => f.path.startsWith(d.path + ".") || f.path.startsWith(d.path + "[")));
    if (field) {
      const list = byPath.get(field.path) ?? [];
      list.push(d);
      byPath.set(field.path, list);
    } else {
      unplaced.push(d);
    }
  }
  return { byPath, unplaced };
}

export interface Step {
  id: string;
  type: string;
  /** The step's other settings, e.g. "event cart_abandoned". */
  detail: string;
  next: string;
}

export interface JourneySteps {
  name: string;
  steps: Step[];
}

/** Each journey as a readable list of its steps, from the form's fields. */
export function journeySteps(fields: FieldDto[]): JourneySteps[] {
  const journeys = new Map<number, JourneySteps>();
  const steps = new Map<string, Step>();
  for (const f of fields) {
    const m = /^journey\[(\d+)\](?:\.node\[(\d+)\])?$/.exec(f.section);
    if (!m) continue;
    const j = Number(m[1]);
    let journey = journeys.get(j);
    if (!journey) {
      journey = { name: `Journey ${j + 1}`, steps: [] };
      journeys.set(j, journey);
    }
    if (m[2] === undefined) {
      if (f.label === "name") journey.name = f.value;
      continue;
    }
    let step = steps.get(f.section);
    if (!step) {
      step = { id: "", type: "", detail: "", next: "" };
      steps.set(f.section, step);
      journey.steps.push(step);
    }
    if (f.label === "id") step.id = f.value;
    else if (f.label === "type") step.type = f.value;
    else if (f.label === "next") step.next = f.value;
    else step.detail = [step.detail, `${f.label.replace(/_/g, " ")} ${f.value}`].filter(Boolean).join(" · ");
  }
  return [...journeys.values()];
}
