// The first run that leads somewhere: open a ready-made scenario and go where its answer is read
// (the core's library says where: Compare, or the experiment monitor for an A/B or A/A test),
// starting what computes it, so the user lands on a verdict.
import type { ScreenId } from "../bindings";
import { ipc } from "../ipc";
import { labState } from "../components/lab/store.svelte";
import { app } from "./app.svelte";
import { comparison } from "./comparison.svelte";

/** Opens example `id` and computes its answer on `screen`; stays on the Scenario screen if the text is invalid. */
export async function openAnswer(id: string, screen: ScreenId) {
  await app.open(await ipc.openExample(id));
  if (!app.report?.valid || !app.doc) return;
  app.screen = screen;
  if (screen === "monitor") await labState.runMonitor(app.doc.toml);
  else if (screen === "compare") await comparison.start();
}
