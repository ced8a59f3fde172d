// The Model panel: the core's behaviour parameters in the groups of its table, each with the value
// the scenario text gives it (its `[model]` field, else the default) and the diagnostics at that field.
import type { DiagnosticDto, FieldDto, ParameterDto } from "../bindings";

/** Field paths of the `[model]` section start with this. */
export const MODEL_PREFIX = "model.";

export interface ModelRow {
  parameter: ParameterDto;
  /** The value as written in the text, or the default as text. */
  value: string;
  /** Whether the scenario sets it (else the default applies). */
  set: boolean;
  diagnostics: DiagnosticDto[];
}

export interface ModelGroup {
  title: string;
  rows: ModelRow[];
}

/** The parameters grouped in table order, each with its value in `fields` and its diagnostics from `byPath`. */
export function modelGroups(
  parameters: ParameterDto[],
  fields: FieldDto[],
  byPath: Map<string, DiagnosticDto[]>,
): ModelGroup[] {
  const written = new Map(fields.map((f) => [f.path, f.value]));
  const groups = new Map<string, ModelGroup>();
  for (const p of parameters) {
    let g = groups.get(p.group);
    if (!g) {
      g = { title: p.group, rows: [] };
      groups.set(p.group, g);
    }
    const value = written.get(p.path);
    g.rows.push({
      parameter: p,
      value: value ?? String(p.default),
      set: value !== undefined,
      diagnostics: byPath.get(p.path) ?? [],
    });
  }
  return [...groups.values()];
}

/** `[model]` settings that name no parameter (the reader reports each with the closest name). */
export function unknownModelFields(parameters: ParameterDto[], fields: FieldDto[]): FieldDto[] {
  const known = new Set(parameters.map((p) => p.path));
  return fields.filter((f) => f.path.startsWith(MODEL_PREFIX) && !known.has(f.path));
}

/** A slider step of about a hundredth of the plausible range, rounded to 1, 2 or 5 × 10^k; 1 for whole numbers. */
export function sliderStep(p: ParameterDto): number {
  const span = p.high - p.low;
  if (p.whole || !(span > 0)) return 1;
  const raw = span / 100;
  const exponent = Math.floor(Math.log10(raw));
  const f = raw / 10 ** exponent;
  const nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  return Number(`${nice}e${exponent}`);
}

/** Where the slider sits for a written value: inside the plausible range, at the default when unreadable. */
export function sliderValue(p: ParameterDto, value: string): number {
  const x = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(x)) return p.default;
  return Math.min(p.high, Math.max(p.low, x));
}

/** A slider position as the text to write: rounded to the step's decimals, without trailing zeros. */
export function stepText(p: ParameterDto, x: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(sliderStep(p))));
  return String(Number(x.toFixed(decimals)));
}
