// Keyboard shortcuts, seen from the webview. The native menu's accelerators
// carry the same chords; both routes end in the one command dispatcher, which
// drops a repeat of the same command within REPEAT_MS (when a key press reaches
// both the native accelerator and the page, it acts once).

import { screens } from "./screens";

export const REPEAT_MS = 300;

export interface Chord {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The menu item id a key chord stands for, or null. */
export function commandFor(e: Chord): string | null {
  if (e.key === "F1" && !(e.ctrlKey || e.metaKey || e.altKey || e.shiftKey)) return "glossary";
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (e.shiftKey) return key === "s" ? "save-file" : key === "z" ? "redo" : null;
  const plain: Record<string, string> = {
    n: "new",
    o: "open",
    q: "quit",
    s: "save",
    r: "run",
    ".": "cancel",
    z: "undo",
    y: "redo",
  };
  for (const s of screens) plain[s.key] = `view-${s.id}`;
  return plain[key] ?? null;
}

/** Lets a command through unless the same one went through less than REPEAT_MS ago. */
export function once(now: () => number = () => Date.now()): (id: string) => boolean {
  let last: { id: string; at: number } | null = null;
  return (id) => {
    const t = now();
    if (last && last.id === id && t - last.at < REPEAT_MS) return false;
    last = { id, at: t };
    return true;
  };
}
