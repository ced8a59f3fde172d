import { describe, expect, it } from "vitest";
import type { DiagnosticDto, FieldDto, ParameterDto } from "../bindings";
import { modelGroups, sliderStep, sliderValue, stepText, unknownModelFields } from "./model";

const param = (name: string, group: string, low: number, high: number, dflt: number, whole = false): ParameterDto => ({
  path: `model.${name}`,
  name,
  group,
  default: dflt,
  low,
  high,
  unit: "ratio",
  meaning: "m",
  source: "assumption",
  assumption: true,
  whole,
});
const field = (path: string, value: string): FieldDto => ({
  path,
  section: "model",
  section_title: "Model",
  label: path.slice("model.".length),
  title: path.slice("model.".length),
  help: "",
  unit: "",
  input: "number",
  min: null,
  max: null,
  step: 0.01,
  range: "",
  choices: [],
  kind: "float",
  value,
});
const diag = (path: string): DiagnosticDto => ({ kind: "out-of-range", line: 40, column: 19, path, message: "outside", hint: "" });

const parameters = [
  param("engagement_decay", "Habit and churn", 0.05, 0.2, 0.1),
  param("blast_annoyance", "Fatigue, opt-outs and annoyance", 0, 0.5, 0.25),
  param("session_habit", "Habit and churn", 0.05, 0.2, 0.1),
  param("cart_memory_hours", "Purchases and prices", 24, 168, 72, true),
];

describe("the Model panel's rows", () => {
  it("groups parameters as the table does, in order of first appearance", () => {
    const groups = modelGroups(parameters, [], new Map());
    expect(groups.map((g) => g.title)).toEqual(["Habit and churn", "Fatigue, opt-outs and annoyance", "Purchases and prices"]);
    expect(groups[0]?.rows.map((r) => r.parameter.name)).toEqual(["engagement_decay", "session_habit"]);
  });

  it("shows the written value and its diagnostics, else the default", () => {
    const fields = [field("model.blast_annoyance", "0.9"), field("simulation.users", "10")];
    const byPath = new Map([["model.blast_annoyance", [diag("model.blast_annoyance")]]]);
    const rows = modelGroups(parameters, fields, byPath).flatMap((g) => g.rows);
    const blast = rows.find((r) => r.parameter.name === "blast_annoyance");
    expect(blast).toMatchObject({ value: "0.9", set: true });
    expect(blast?.diagnostics.map((d) => d.line)).toEqual([40]);
    expect(rows.find((r) => r.parameter.name === "cart_memory_hours")).toMatchObject({ value: "72", set: false, diagnostics: [] });
  });

  it("lists [model] settings that name no parameter", () => {
    const fields = [field("model.blast_anoyance", "0.4"), field("model.session_habit", "0.1"), field("simulation.users", "1")];
    expect(unknownModelFields(parameters, fields).map((f) => f.path)).toEqual(["model.blast_anoyance"]);
  });
});

describe("the slider", () => {
  it("steps about a hundredth of the range, rounded to 1, 2 or 5 × 10^k, and whole numbers by 1", () => {
    expect(sliderStep(param("a", "g", 0, 0.5, 0.25))).toBe(0.005);
    expect(sliderStep(param("b", "g", 0.0005, 0.005, 0.002))).toBe(0.00005);
    expect(sliderStep(param("c", "g", 1.5, 3, 2.25))).toBe(0.02);
    expect(sliderStep(param("d", "g", 24, 168, 72, true))).toBe(1);
  });

  it("sits inside the range, at the default when the text is unreadable", () => {
    const p = param("a", "g", 0, 0.5, 0.25);
    expect(sliderValue(p, "0.9")).toBe(0.5);
    expect(sliderValue(p, "-1")).toBe(0);
    expect(sliderValue(p, "0.3")).toBe(0.3);
    expect(sliderValue(p, "high")).toBe(0.25);
    expect(sliderValue(p, " ")).toBe(0.25);
  });

  it("writes a position without floating-point noise", () => {
    const p = param("a", "g", 0, 0.5, 0.25);
    expect(stepText(p, 0.1 + 0.2)).toBe("0.3");
    expect(stepText(param("b", "g", 0.0005, 0.005, 0.002), 0.00065000001)).toBe("0.00065");
    expect(stepText(param("d", "g", 24, 168, 72, true), 96)).toBe("96");
  });
});
