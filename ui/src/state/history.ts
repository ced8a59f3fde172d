// The undo history of the scenario text: every edit (canvas, form, raw editor) is one step from the
// text before it to the text after it. Typing in the raw editor arrives as many small edits; those
// of one burst (each within COALESCE_MS of the last) are one step, so Undo takes back what was typed.

export const COALESCE_MS = 1000;
/** How many steps are kept; the oldest go first. */
export const LIMIT = 200;

/** What made a step: edits of kind "typing" within COALESCE_MS merge; any other kind never does. */
export type EditKind = "typing" | "edit";

interface Step {
  id: number;
  before: string;
  after: string;
  kind: EditKind;
  at: number;
}

export class TextHistory {
  private past: Step[] = [];
  private future: Step[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number = () => Date.now()) {}

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** The id of the step Undo would take back (null when there is none). */
  get top(): number | null {
    return this.past.at(-1)?.id ?? null;
  }

  /** Records an edit from `before` to `after` and returns its step's id; a new edit drops what was undone. */
  record(before: string, after: string, kind: EditKind = "edit"): number | null {
    if (before === after) return null;
    const at = this.now();
    this.future = [];
    const last = this.past.at(-1);
    if (kind === "typing" && last && last.kind === "typing" && last.after === before && at - last.at < COALESCE_MS) {
      last.after = after;
      last.at = at;
      if (last.after === last.before) this.past.pop();
      return last.id;
    }
    this.past.push({ id: this.nextId++, before, after, kind, at });
    if (this.past.length > LIMIT) this.past.shift();
    return this.nextId - 1;
  }

  /** The text before the last step (null when there is nothing to undo). */
  undo(): string | null {
    const step = this.past.pop();
    if (!step) return null;
    this.future.push(step);
    return step.before;
  }

  /** The text after the last undone step (null when there is nothing to redo). */
  redo(): string | null {
    const step = this.future.pop();
    if (!step) return null;
    // A redone step never merges with typing that follows it.
    this.past.push({ ...step, at: -Infinity });
    return step.after;
  }

  clear() {
    this.past = [];
    this.future = [];
  }
}
