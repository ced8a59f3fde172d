// The app's screens in sidebar order, with the digit of their Ctrl shortcut.
// The native View menu (src-tauri/src/menu.rs) carries the same chords.
import type { Screen } from "./app.svelte";

export const screens: readonly { id: Screen; label: string; key: string }[] = [
  { id: "library", label: "Library", key: "1" },
  { id: "scenario", label: "Scenario", key: "2" },
  { id: "journeys", label: "Journeys", key: "3" },
  { id: "run", label: "Run", key: "4" },
  { id: "results", label: "Results", key: "5" },
  { id: "compare", label: "Compare", key: "6" },
  { id: "monitor", label: "Experiment", key: "7" },
  { id: "peeking", label: "Peeking lab", key: "8" },
  { id: "planner", label: "Planner", key: "9" },
];
