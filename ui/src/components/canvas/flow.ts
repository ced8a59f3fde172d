// Pure logic of the journey canvas: the core's graph and a run's flow → Svelte Flow nodes and edges.
import type { Edge, Node } from "@xyflow/svelte";
import type { CanvasGraph, CanvasNode, ChoiceSetDto, FieldDto, JourneyFlow, NodeFlowDto } from "../../bindings";

export type CardData = { node: CanvasNode; flow: NodeFlowDto | null; selected: boolean };
export type CardNode = Node<CardData, "journey">;

/** The node and edge flow of one journey of a run, by node id (empty if the run has no such journey). */
export function flowOf(flows: JourneyFlow[] | null, journey: string): Map<string, NodeFlowDto> {
  const found = flows?.find((f) => f.journey === journey);
  return new Map((found?.nodes ?? []).map((n) => [n.node, n]));
}

/** A node without an id cannot be addressed by edits: it gets a display key and stays put. */
export function keyOf(node: CanvasNode, index: number): string {
  return node.id || `#${index}`;
}

export function toNodes(graph: CanvasGraph, flow: Map<string, NodeFlowDto>, selected: string | null): CardNode[] {
  return graph.nodes.map((node, i) => ({
    id: keyOf(node, i),
    type: "journey",
    position: { x: node.x, y: node.y },
    data: { node, flow: flow.get(node.id) ?? null, selected: node.id !== "" && node.id === selected },
    selected: node.id !== "" && node.id === selected,
    draggable: node.id !== "",
    deletable: node.id !== "",
  }));
}

/** Edge width grows with the square root of its share of the busiest edge, so thin flows stay visible. */
export function strokeWidth(moved: number, busiest: number): number {
  if (busiest <= 0) return 1.5;
  return Math.round((1.5 + 6.5 * Math.sqrt(Math.max(0, moved) / busiest)) * 10) / 10;
}

export function toEdges(graph: CanvasGraph, flow: Map<string, NodeFlowDto>): Edge[] {
  const moved = (from: string, slot: string) => flow.get(from)?.edges.find((e) => e.slot === slot)?.moved;
  const busiest = Math.max(0, ...graph.edges.map((e) => moved(e.from, e.slot) ?? 0));
  return graph.edges.map((e) => {
    const users = moved(e.from, e.slot);
    const parts = [e.label, users === undefined ? "" : `${compact(users)} users`].filter((p) => p !== "");
    return {
      id: `${e.from}:${e.slot}`,
      source: e.from,
      target: e.to,
      sourceHandle: e.slot,
      targetHandle: "in",
      label: parts.join(" · ") || undefined,
      class: `edge-${e.slot}`,
      style: users === undefined ? undefined : `stroke-width: ${strokeWidth(users, busiest)}px`,
    };
  });
}

/** 1234 → "1.2k", 987 → "987", 2_500_000 → "2.5M". */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 1e6) return `${trim(n / 1e3)}k`;
  return `${trim(n / 1e6)}M`;
}

function trim(x: number): string {
  return Math.abs(x) >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, "");
}

/** A node's (or the policies') settings by their label: `hours`, `caps.push.per_week`… */
export function settings(fields: FieldDto[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.label, f.value]));
}

/** The core's choices of the setting `pattern` (`journey.node.delivery`) as the graph serves them; none if it serves none. */
export function choicesOf(sets: ChoiceSetDto[], pattern: string): ChoiceSetDto {
  return sets.find((s) => s.pattern === pattern) ?? { pattern, title: "", choices: [] };
}

/** `["push", "email"]` as written in the file → the channel names. */
export function parseChannels(value: string | undefined): string[] {
  return [...(value ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
}

/** Channel names → a TOML list, in the order given. */
export function channelList(channels: string[]): string {
  return `[${channels.map((c) => JSON.stringify(c)).join(", ")}]`;
}

/** The counts a card shows after a run: a message's sends and holds, every node's arrivals and conversions. */
export function cardStats(kind: string, flow: NodeFlowDto): { label: string; value: string; tone?: "bad" }[] {
  const stats: { label: string; value: string; tone?: "bad" }[] = [{ label: "entered", value: compact(flow.entered) }];
  if (kind === "message") {
    stats.push({ label: "sent", value: compact(flow.sent) });
    stats.push({ label: "converted", value: compact(flow.converted) });
    stats.push({ label: "capped", value: compact(flow.dropped_by_caps + flow.dropped_by_quiet_hours), tone: "bad" });
    stats.push({ label: "opted out", value: compact(flow.opted_out), tone: "bad" });
  } else {
    stats.push({ label: "converted", value: compact(flow.converted) });
  }
  return stats;
}

/** A share as the text's number (0.2) shown as a percent ("20"), without float noise; empty stays empty. */
export function percentOf(share: string | undefined): string {
  if (share === undefined || share.trim() === "") return "";
  const n = Number(share);
  return Number.isFinite(n) ? String(Number((n * 100).toPrecision(12))) : share;
}

/** A percent typed by the user ("20", "12.5 %") as the share the text stores ("0.2"); empty stays empty. */
export function shareOf(percent: string): string {
  const typed = percent.replace("%", "").trim();
  if (typed === "") return "";
  const n = Number(typed);
  return Number.isFinite(n) ? String(Number((n / 100).toPrecision(12))) : typed;
}
