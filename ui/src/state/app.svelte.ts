// The app's state, shared by the views: the open scenario, its validation, the run and the results.
import type { CheckReport, RunView, ScenarioDoc, ScreenId } from "../bindings";
import { ipc } from "../ipc";
import { TextHistory, type EditKind } from "./history";
import { Job } from "./job.svelte";
import { toast, type ToastAction } from "./toast.svelte";

export type Screen = ScreenId;

class AppState {
  screen = $state<Screen>("library");
  doc = $state<ScenarioDoc | null>(null);
  /** Set when the text differs from what was opened or last saved. */
  dirty = $state(false);
  /** Every edit of the text, for Undo and Redo (cleared when another scenario is opened). */
  private readonly history = new TextHistory();
  canUndo = $state(false);
  canRedo = $state(false);
  /** The text as opened or last saved: undoing back to it makes the scenario clean again. */
  private savedText = "";
  /** The question asked before unsaved edits are dropped, while it is open. */
  unsavedPrompt = $state<{ name: string; answer: (choice: UnsavedChoice) => void } | null>(null);
  report = $state<CheckReport | null>(null);
  /** The run in flight. */
  readonly job = new Job("Run");
  results = $state<RunView | null>(null);
  /** Bumped when the history changes, so the library reloads. */
  historyVersion = $state(0);
  usersOverride = $state<number | null>(null);
  private checkSeq = 0;
  /** The edit queue's tail: each edit starts when the one before it has changed the text. */
  private edits: Promise<unknown> = Promise.resolve();
  /** Bumped when another scenario is opened, so edits queued for the last one are dropped. */
  private opened = 0;

  get running() {
    return this.job.running;
  }

  get progress() {
    return this.job.progress;
  }

  /** One line at the bottom of the window: what just happened, or what went wrong. */
  get toast() {
    return toast.current;
  }

  say(text: string, error = false, action?: ToastAction) {
    toast.say(text, error, action);
  }

  fail(e: unknown) {
    toast.fail(e);
  }

  /**
   * Opens `doc` in place of the current scenario, first asking (Save / Discard / Cancel) when the
   * current one has unsaved edits, unless `asked` says that was done. False if the user cancelled.
   */
  async open(doc: ScenarioDoc, asked = false): Promise<boolean> {
    if (!asked && !(await this.mayDrop())) return false;
    this.opened++;
    this.doc = doc;
    this.savedText = doc.toml;
    this.dirty = false;
    this.history.clear();
    this.syncHistory();
    this.usersOverride = null;
    this.screen = "scenario";
    await this.check();
    return true;
  }

  /**
   * Whether the open scenario's edits may be dropped: true when there are none, else the user's
   * answer — Save (true once saved), Discard (true) or Cancel (false).
   */
  async mayDrop(): Promise<boolean> {
    if (!this.doc || !this.dirty) return true;
    const name = this.titleOf();
    const choice = await new Promise<UnsavedChoice>((answer) => {
      this.unsavedPrompt?.answer("cancel");
      this.unsavedPrompt = { name, answer };
    });
    this.unsavedPrompt = null;
    if (choice === "cancel") return false;
    if (choice === "discard") return true;
    await this.save();
    return !this.dirty;
  }

  /** Validates the current text; late answers to earlier texts are dropped. */
  async check() {
    if (!this.doc) return;
    const seq = ++this.checkSeq;
    const report = await ipc.checkScenario(this.doc.toml);
    if (seq === this.checkSeq) this.report = report;
  }

  /**
   * Changes the text with `change`, computed from the latest text: edits queue, so each one
   * starts from the text the edit before it left and none is lost when answers overlap (a field
   * committed while the last one is still being applied). False if the scenario was closed or
   * another one opened meanwhile; rejects with `change`'s error, leaving the text as it was.
   */
  async edit(change: (toml: string) => Promise<string>, kind: EditKind | "history" = "edit"): Promise<boolean> {
    const opened = this.opened;
    const turn = this.edits.then(async () => {
      if (!this.doc || this.opened !== opened) return false;
      const before = this.doc.toml;
      const toml = await change(before);
      if (!this.doc || this.opened !== opened) return false;
      this.doc = { ...this.doc, toml };
      if (kind !== "history") this.lastStep = this.history.record(before, toml, kind);
      this.dirty = toml !== this.savedText;
      this.syncHistory();
      return true;
    });
    this.edits = turn.catch(() => undefined);
    const changed = await turn;
    if (changed) await this.check();
    return changed;
  }

  /** Replaces the text (the raw editor), in order with the edits before it; a burst of typing is one undo step. */
  async setText(toml: string) {
    await this.edit(async () => toml, "typing");
  }

  /** The undo step of the latest edit (null if it changed nothing): what a notice's Undo takes back. */
  lastStep: number | null = null;

  /** Takes back the last edit of the text (any screen's). */
  async undo() {
    await this.edit(async (toml) => this.history.undo() ?? toml, "history");
  }

  async redo() {
    await this.edit(async (toml) => this.history.redo() ?? toml, "history");
  }

  /** A notice's Undo action for the edit just made: it takes back that edit while it is still the last one. */
  undoAction(): ToastAction | undefined {
    const step = this.lastStep;
    if (step === null) return undefined;
    return {
      label: "Undo",
      run: async () => {
        if (this.history.top === step) await this.undo();
        else this.say("Later edits were made since; use Edit → Undo (Ctrl+Z) to step back through them.");
      },
    };
  }

  private syncHistory() {
    this.canUndo = this.history.canUndo;
    this.canRedo = this.history.canRedo;
  }

  async setField(path: string, value: string) {
    try {
      await this.edit((toml) => ipc.setField(toml, path, value));
    } catch (e) {
      this.fail(e);
    }
  }

  async save() {
    if (!this.doc) return;
    try {
      const name = this.doc.origin === "saved" ? this.doc.name : this.report?.valid ? this.titleOf() : this.doc.name;
      const saved = await ipc.saveScenario(name, this.doc.toml);
      this.doc = { ...this.doc, name: saved.name, origin: "saved" };
      this.savedText = this.doc.toml;
      this.dirty = false;
      this.historyVersion++;
      this.say(`Saved “${saved.name}” (version ${saved.version}) to your library.`);
    } catch (e) {
      this.fail(e);
    }
  }

  async saveFile() {
    if (!this.doc) return;
    try {
      const path = await ipc.saveFile(this.doc.name, this.doc.toml);
      if (path) this.say(`Saved to ${path}.`);
    } catch (e) {
      this.fail(e);
    }
  }

  async openFile() {
    try {
      if (!(await this.mayDrop())) return;
      const doc = await ipc.openFile();
      if (doc) await this.open(doc, true);
    } catch (e) {
      this.fail(e);
    }
  }

  /** The simulation's name as written in the text, for saving. */
  titleOf(): string {
    const f = this.report?.fields.find((x) => x.path === "simulation.name");
    return f?.value || this.doc?.name || "Untitled scenario";
  }

  async run() {
    if (!this.doc || this.running) return;
    const toml = this.doc.toml;
    this.screen = "run";
    const options = { users: this.usersOverride, days: null };
    const results = await this.job.run(
      (events) => ipc.runScenario(toml, options, events),
      (err) => {
        if (err.code !== "scenario.invalid") return false;
        this.say(`${err.message} — fix it on the Scenario screen.`, true);
        this.screen = "scenario";
        return true;
      },
    );
    if (!results) return;
    this.results = results;
    this.historyVersion++;
    this.screen = "results";
  }

  async cancel() {
    await this.job.cancel();
  }

  async openRun(id: number) {
    try {
      this.results = await ipc.openRun(id);
      this.screen = "results";
    } catch (e) {
      this.fail(e);
    }
  }
}

/** The answer to "save the edits before they are dropped?". */
export type UnsavedChoice = "save" | "discard" | "cancel";

export const app = new AppState();
