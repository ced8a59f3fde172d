import { describe, expect, it } from "vitest";
import type { DiagnosticDto } from "../bindings/DiagnosticDto";
import type { FieldDto } from "../bindings/FieldDto";
import { attach, sectionTitle, sections } from "./fields";

const field = (path: string, section: string, value = "1"): FieldDto => ({
  path,
  section,
  label: path.slice(section.length).replace(/^\./, ""),
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
  it("are titled for people, with the item's name", () => {
    expect(sectionTitle("journey[0].node[2]")).toBe("Journey 1 › Step 3");
    expect(sections(fields, []).map((s) => s.title)).toEqual(["Simulation", "Segment 1 · shoppers"]);
  });
});
