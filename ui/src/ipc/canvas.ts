// The journey canvas's commands: a journey as a graph, one structure edit → new text, a run's flow.
import type { CanvasEdit } from "../bindings/CanvasEdit";
import type { CanvasGraph } from "../bindings/CanvasGraph";
import type { JourneyFlow } from "../bindings/JourneyFlow";
import { call } from "./index";

export const canvas = {
  graph: (toml: string, journey: number) => call<CanvasGraph>("canvas_graph", { toml, journey }),
  edit: (toml: string, journey: number, edit: CanvasEdit) => call<string>("canvas_edit", { toml, journey, edit }),
  flow: (id: number) => call<JourneyFlow[]>("canvas_flow", { id }),
};
