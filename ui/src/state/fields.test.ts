import { describe, expect, it } from "vitest";
import type { DiagnosticDto, FieldDto } from "../bindings";
import { attach, firstProblem, fromPercent, inputBound, inputStep, sections, toPercent } from "./fields";

const field = (path: string, section: string, value = "1", input: FieldDto["input"] = "number"): FieldDto => ({
  path,
  section,
  section_title: `Title of ${section}`,
  label: path.slice(section.length).replace(/^\./, ""),
  title: "A setting",
  help: "What it means.",
  unit: input === "percent" ? "%" : "",
  input,
  min: 0,
  max: 1,
  step: 0.01,
  range: "",
  choices: [],
  kind: "float",
  value,
});
const diag = (path: string, message = "bad"): DiagnosticDto => ({
  kind: "out-of-range",
  line: 3,
  column: 1,
  path,
  message,
  hint: "",
});

const fields = [
  field("simulation.users", "simulation"),
  field("population.segment[0].name", "population.segment[0]", "shoppers"),
  field("population.segment[0].visits.mean", "population.segment[0]"),
  field("population.segment[0].visits.sd", "population.segment[0]"),
];

describe("diagnostics at their fields", () => {
  it("attaches a diagnostic to the field with its path", () => {
    const { byPath, unplaced } = attach(fields, [diag("simulation.users")]);
    expect(byPath.get("simulation.users")?.length).toBe(1);
    expect(unplaced).toEqual([]);
  });
  it("attaches a diagnostic about an inline table to its first field", () => {
    const { byPath } = attach(fields, [diag("population.segment[0].visits")]);
    expect(byPath.get("population.segment[0].visits.mean")?.length).toBe(1);
  });
  it("keeps diagnostics that name no field apart, and puts them in their section", () => {
    const missing = diag("population.segment[0].share", "missing share");
    const { unplaced } = attach(fields, [missing, diag("", "syntax")]);
    expect(unplaced.length).toBe(2);
    const groups = sections(fields, [missing]);
    expect(groups.find((g) => g.id === "population.segment[0]")?.diagnostics).toEqual([missing]);
  });
});

describe("sections", () => {
  it("take the core's titles, in file order", () => {
    expect(sections(fields, []).map((s) => s.title)).toEqual(["Title of simulation", "Title of population.segment[0]"]);
  });
});

describe("percent fields", () => {
  it("show a proportion as a percentage without float noise", () => {
    expect(toPercent("0.065")).toBe("6.5");
    expect(toPercent("0.07")).toBe("7");
    expect(toPercent("1.0")).toBe("100");
    expect(toPercent("0.0001")).toBe("0.01");
    expect(toPercent("1e-5")).toBe("0.001");
  });
  it("write the typed percentage as a proportion", () => {
    expect(fromPercent("6.5")).toBe("0.065");
    expect(fromPercent("7")).toBe("0.07");
    expect(fromPercent(" 12,5 % ")).toBe("0.125");
    expect(fromPercent("150")).toBe("1.5");
    expect(fromPercent("0.3")).toBe("0.003");
  });
  it("round-trip every whole and tenth percentage exactly", () => {
    for (let tenths = 0; tenths <= 1000; tenths++) {
      const shown = String(tenths / 10);
      expect(toPercent(fromPercent(shown))).toBe(shown);
    }
  });
  it("leave what is not a number for the validator to report", () => {
    expect(toPercent("lots")).toBe("lots");
    expect(toPercent("")).toBe("");
    expect(fromPercent("lots")).toBe("lots");
    expect(fromPercent("")).toBe("");
  });
  it("give the number input its step and bounds in percent", () => {
    const share = field("population.segment[0].share", "population.segment[0]", "0.5", "percent");
    expect(inputStep(share)).toBe(1);
    expect([inputBound(share, share.min), inputBound(share, share.max)]).toEqual([0, 100]);
    const users = { ...field("simulation.users", "simulation"), step: 1, min: 1, max: null };
    expect([inputStep(users), inputBound(users, users.min), inputBound(users, users.max)]).toEqual([1, 1, undefined]);
  });
});

describe("the first problem", () => {
  it("is the field of the first diagnostic, on its tab", () => {
    const all = [...fields, field("model.blast_annoyance", "model")];
    const diagnostics = [diag("population.segment[0].visits"), diag("simulation.users")];
    const place = firstProblem(diagnostics, attach(all, diagnostics), "model.");
    expect(place).toEqual({ at: "field", path: "population.segment[0].visits.mean", tab: "settings" });
    const model = [diag("model.blast_annoyance")];
    expect(firstProblem(model, attach(all, model), "model.")).toEqual({ at: "field", path: "model.blast_annoyance", tab: "model" });
  });
  it("is a line of the text when no field shows it", () => {
    const syntax = [{ ...diag("", "syntax"), line: 7 }];
    expect(firstProblem(syntax, attach(fields, syntax), "model.")).toEqual({ at: "line", line: 7 });
    expect(firstProblem([], attach(fields, []), "model.")).toBeNull();
  });
});
