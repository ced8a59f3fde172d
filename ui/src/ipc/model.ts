// The Model panel's command: the core's table of behaviour parameters. Edits go through `ipc.setField`.
import type { ParameterDto } from "../bindings/ParameterDto";
import { call } from "./index";

export const model = {
  parameters: () => call<ParameterDto[]>("model_parameters"),
};
