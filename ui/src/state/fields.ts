// The scenario form: fields grouped by section, diagnostics attached to the field they are about.
import type { DiagnosticDto, FieldDto } from "../bindings";

export interface Section {
  id: string;
  title: string;
  fields: FieldDto[];
  /** Diagnostics about the section itself (e.g. a missing field). */
  diagnostics: DiagnosticDto[];
}

/** Groups fields by section in file order, each titled by the core (`section_title`). */
export function sections(fields: FieldDto[], diagnostics: DiagnosticDto[]): Section[] {
  const out = new Map<string, Section>();
  for (const f of fields) {
    let s = out.get(f.section);
    if (!s) {
      s = { id: f.section, title: f.section_title, fields: [], diagnostics: [] };
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

/**
 * A proportion as written in the file ("0.065") as the percentage the form shows ("6.5"),
 * without float noise (0.07 → "7", not "7.000000000000001"). Text that is not a number is
 * shown as it is, so an invalid value stays visible beside its diagnostic.
 */
export function toPercent(value: string): string {
  const x = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(x)) return value;
  return String(Number((x * 100).toPrecision(12)));
}

/**
 * A percentage typed in the form ("6.5", "6,5", "6.5 %") as the proportion the file holds
 * ("0.065"). Anything else goes to the file as typed: the core's validator then reports it at
 * the field.
 */
export function fromPercent(input: string): string {
  const text = input.trim().replace(/\s*%$/, "").replace(",", ".");
  const x = Number(text);
  if (text === "" || !Number.isFinite(x)) return input.trim();
  return String(Number((x / 100).toPrecision(12)));
}

/** A number input's step for a field: its step, in percent for a percent field. */
export function inputStep(field: FieldDto): number {
  return field.input === "percent" ? Number((field.step * 100).toPrecision(12)) : field.step;
}

/** A field's bound (`min` / `max`, in the file's units) as the input takes it, in percent for a percent field. */
export function inputBound(field: FieldDto, bound: number | null): number | undefined {
  if (bound === null) return undefined;
  return field.input === "percent" ? Number((bound * 100).toPrecision(12)) : bound;
}

/** The DOM id of a field's input, from its path. */
export function inputId(path: string): string {
  return `field-${path.replace(/[^a-zA-Z0-9]/g, "-")}`;
}

/**
 * Where the first problem of the text is: at a form field (on the settings or the model tab),
 * or only at a line of the text.
 */
export type ProblemPlace =
  | { at: "field"; path: string; tab: "settings" | "model" }
  | { at: "line"; line: number };

export function firstProblem(diagnostics: DiagnosticDto[], attached: Attached, modelPrefix: string): ProblemPlace | null {
  const first = diagnostics[0];
  if (!first) return null;
  for (const [path, list] of attached.byPath) {
    if (list.includes(first)) return { at: "field", path, tab: path.startsWith(modelPrefix) ? "model" : "settings" };
  }
  return { at: "line", line: first.line };
}
