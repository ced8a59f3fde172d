import { describe, expect, it } from "vitest";
import type { DiagnosticDto, FieldDto } from "../bindings";
import { attach, journeySteps, sectionTitle, sections } from "./fields";

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

describe("journey steps", () => {
  it("reads each journey as a list of steps", () => {
    const f = (section: string, label: string, value: string): FieldDto => ({
      path: `${section}.${label}`,
      section,
      label,
      kind: "text",
      value,
    });
    const journeys = journeySteps([
      f("journey[0]", "name", "reminder"),
      f("journey[0].node[0]", "id", "abandoned"),
      f("journey[0].node[0]", "type", "trigger"),
      f("journey[0].node[0]", "event", "cart_abandoned"),
      f("journey[0].node[0]", "next", "wait"),
      f("journey[0].node[1]", "id", "wait"),
      f("journey[0].node[1]", "type", "wait"),
      f("journey[0].node[1]", "hours", "1"),
    ]);
    expect(journeys).toEqual([
      {
        name: "reminder",
        steps: [
          { id: "abandoned", type: "trigger", detail: "event cart_abandoned", next: "wait" },
          { id: "wait", type: "wait", detail: "hours 1", next: "" },
        ],
      },
    ]);
  });
});
