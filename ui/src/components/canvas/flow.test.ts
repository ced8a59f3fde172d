import { describe, expect, it } from "vitest";
import type { CanvasGraph, CanvasNode, JourneyFlow } from "../../bindings";
import { cardStats, channelList, choicesOf, compact, flowOf, parseChannels, percentOf, shareOf, strokeWidth, toEdges, toNodes } from "./flow";

function node(id: string, kind: string, x = 0, y = 0): CanvasNode {
  return { id, kind, summary: "", x, y, placed: false, fields: [], diagnostics: [] };
}

const graph: CanvasGraph = {
  journeys: ["j"],
  journey: 0,
  nodes: [node("start", "trigger"), node("split", "branch", 300), node("a", "exit", 600), node("", "unknown", 600, 200)],
  edges: [
    { from: "start", to: "split", slot: "next", label: "" },
    { from: "split", to: "a", slot: "yes", label: "yes" },
  ],
  policies: [],
  diagnostics: [],
  node_width: 220,
  node_height: 130,
  choice_sets: [{ pattern: "journey.node.delivery", title: "Send on", choices: [{ value: "priority", label: "first reachable channel" }] }],
};

const flows: JourneyFlow[] = [
  {
    journey: "j",
    nodes: [
      { node: "start", entered: 1000, sent: 0, converted: 10, dropped_by_caps: 0, dropped_by_quiet_hours: 0, opted_out: 0, edges: [{ slot: "next", to: "split", moved: 1000 }] },
      { node: "split", entered: 1000, sent: 0, converted: 5, dropped_by_caps: 0, dropped_by_quiet_hours: 0, opted_out: 0, edges: [{ slot: "yes", to: "a", moved: 250 }, { slot: "no", to: "a", moved: 750 }] },
    ],
  },
];

describe("canvas flow", () => {
  it("maps nodes with their flow and selection; nodes without an id stay put", () => {
    const nodes = toNodes(graph, flowOf(flows, "j"), "split");
    expect(nodes.map((n) => [n.id, n.selected, n.draggable])).toEqual([
      ["start", false, true],
      ["split", true, true],
      ["a", false, true],
      ["#3", false, false],
    ]);
    expect(nodes[1]?.data.flow?.entered).toBe(1000);
    expect(nodes[2]?.data.flow).toBeNull();
    expect(flowOf(flows, "other").size).toBe(0);
  });

  it("labels edges with the branch side and the users who moved, width by share", () => {
    const edges = toEdges(graph, flowOf(flows, "j"));
    expect(edges.map((e) => [e.id, e.sourceHandle, e.label])).toEqual([
      ["start:next", "next", "1k users"],
      ["split:yes", "yes", "yes · 250 users"],
    ]);
    expect(edges[0]?.style).toBe("stroke-width: 8px");
    expect(edges[1]?.style).toBe("stroke-width: 4.8px");
    expect(toEdges(graph, new Map()).map((e) => [e.label, e.style])).toEqual([
      [undefined, undefined],
      ["yes", undefined],
    ]);
  });

  it("formats counts compactly", () => {
    expect([compact(0), compact(987), compact(1234), compact(45_600), compact(2_500_000), compact(100_000)]).toEqual([
      "0",
      "987",
      "1.2k",
      "45.6k",
      "2.5M",
      "100k",
    ]);
    expect(strokeWidth(0, 0)).toBe(1.5);
    expect(strokeWidth(0, 10)).toBe(1.5);
  });

  it("finds a setting's choices by its field pattern, and none for a pattern the graph does not serve", () => {
    expect(choicesOf(graph.choice_sets, "journey.node.delivery").choices.map((c) => c.label)).toEqual(["first reachable channel"]);
    expect(choicesOf(graph.choice_sets, "journey.node.clock")).toEqual({ pattern: "journey.node.clock", title: "", choices: [] });
  });

  it("reads and writes channel lists", () => {
    expect(parseChannels('["push", "email"]')).toEqual(["push", "email"]);
    expect(parseChannels(undefined)).toEqual([]);
    expect(channelList(["sms", "in_app"])).toBe('["sms", "in_app"]');
  });

  it("shows sends and holds only on messages", () => {
    const f = { node: "m", entered: 10, sent: 8, converted: 1, dropped_by_caps: 1, dropped_by_quiet_hours: 1, opted_out: 0, edges: [] };
    expect(cardStats("message", f).map((s) => `${s.label}=${s.value}`)).toEqual(["entered=10", "sent=8", "converted=1", "capped=2", "opted out=0"]);
    expect(cardStats("wait", f).map((s) => s.label)).toEqual(["entered", "converted"]);
  });
});

describe("percent fields", () => {
  it("shows shares as percents and stores percents as shares, without float noise", () => {
    expect(percentOf("0.7")).toBe("70");
    expect(percentOf("0.07")).toBe("7");
    expect(percentOf("0.125")).toBe("12.5");
    expect(percentOf(undefined)).toBe("");
    expect(shareOf("70")).toBe("0.7");
    expect(shareOf("12.5 %")).toBe("0.125");
    expect(shareOf("7")).toBe("0.07");
    expect(shareOf("")).toBe("");
    // Not a number: passed on for the core to report at the field.
    expect(shareOf("abc")).toBe("abc");
  });
});
