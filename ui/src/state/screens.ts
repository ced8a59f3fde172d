// The app's screens, in sidebar order, with the digit of their Ctrl shortcut and what each needs:
// the shell's one table (src-tauri/src/screens.rs), which also builds the native View menu,
// arrives as the bindings' SCREENS constant.
import { SCREENS, type Needs } from "../bindings";

export const screens = SCREENS;

/** Whether a screen that needs `needs` can be opened now. */
export function available(needs: Needs, open: { scenario: boolean; results: boolean }): boolean {
  switch (needs) {
    case "nothing":
      return true;
    case "scenario":
      return open.scenario;
    case "results":
      return open.results;
  }
}
