// The app's state, shared by the views: the open scenario, its validation, the run and the results.
import type { CheckReport, RunView, ScenarioDoc, ScreenId } from "../bindings";
import { ipc } from "../ipc";
import { Job } from "./job.svelte";
import { toast } from "./toast.svelte";

export type Screen = ScreenId;

class AppState {
  screen = $state<Screen>("library");
  doc = $state<ScenarioDoc | null>(null);
  /** Set when the text changed since it was opened or saved. */
  dirty = $state(false);
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

  say(text: string, error = false) {
    toast.say(text, error);
  }

  fail(e: unknown) {
    toast.fail(e);
  }

  async open(doc: ScenarioDoc) {
    this.opened++;
    this.doc = doc;
    this.dirty = false;
    this.usersOverride = null;
    this.screen = "scenario";
    await this.check();
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
  async edit(change: (toml: string) => Promise<string>): Promise<boolean> {
    const opened = this.opened;
    const turn = this.edits.then(async () => {
      if (!this.doc || this.opened !== opened) return false;
      const toml = await change(this.doc.toml);
      if (!this.doc || this.opened !== opened) return false;
      this.doc = { ...this.doc, toml };
      this.dirty = true;
      return true;
    });
    this.edits = turn.catch(() => undefined);
    const changed = await turn;
    if (changed) await this.check();
    return changed;
  }

  /** Replaces the text (the raw editor), in order with the edits before it. */
  async setText(toml: string) {
    await this.edit(async () => toml);
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
      const doc = await ipc.openFile();
      if (doc) await this.open(doc);
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

export const app = new AppState();
