// The Calibrate screen's state: the chosen export's preview, how to read it, the holdout and the
// calibration (a job of the one job model). Kept here, not in the view, so a calibration keeps
// running (and its result stays) while the user looks at other screens. The shell keeps the
// chosen file: no path is sent from here.
import type { CalibrationView, ExportFormat, ExportPreviewDto, HoldoutSuggestion, ImportOptionsDto } from "../bindings";
import { ipc } from "../ipc";
import { app } from "./app.svelte";
import { Job } from "./job.svelte";

/** "a, b" → ["a", "b"]. */
export function names(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

class CalibrationState {
  preview = $state<ExportPreviewDto | null>(null);
  view = $state<CalibrationView | null>(null);
  readonly job = new Job("Calibration");
  /** "" lets the importer detect the preset. */
  preset = $state("");
  spec = $state("");
  purchaseEvents = $state("");
  timeZone = $state("");
  holdoutFrom = $state("");
  holdoutTo = $state("");
  /** The core's suggested holdout for the chosen export (its last quarter), once read. */
  suggestion = $state<HoldoutSuggestion | null>(null);
  reading = $state(false);

  get running() {
    return this.job.running;
  }

  get progress() {
    return this.job.progress;
  }

  options(): ImportOptionsDto {
    return {
      preset: this.preset || null,
      map: this.spec || null,
      time_zone: this.timeZone || null,
      purchase_events: names(this.purchaseEvents),
    };
  }

  private show(p: ExportPreviewDto) {
    this.preview = p;
    this.preset = p.preset ?? "";
    this.spec = p.spec;
    this.purchaseEvents = p.purchase_events.join(", ");
    this.timeZone = p.time_zone;
  }

  private async readWith(work: () => Promise<ExportPreviewDto | null>) {
    this.reading = true;
    try {
      const p = await work();
      if (p) this.show(p);
      return p;
    } catch (e) {
      app.fail(e);
      return null;
    } finally {
      this.reading = false;
    }
  }

  /** Asks for an export in the file dialog and previews it as detected. */
  async choose() {
    const p = await this.readWith(() => ipc.calibrateChoose());
    if (!p) return;
    this.view = null;
    await this.suggest();
  }

  /** Asks the core for a holdout for the chosen export and fills it in unless one was typed. */
  private async suggest() {
    const previous = this.suggestion?.from ?? "";
    this.suggestion = null;
    try {
      this.suggestion = await ipc.calibrateSuggestHoldout(this.options());
    } catch (e) {
      app.fail(e);
      return;
    }
    const typed = this.holdoutFrom.trim();
    if (this.suggestion && (typed === "" || typed === previous)) this.holdoutFrom = this.suggestion.from;
  }

  /** A preset chosen: read with its mapping (the spec starts again from it). */
  async usePreset(preset: string) {
    this.preset = preset;
    this.spec = "";
    await this.reread();
  }

  /** Reads the first rows again with the settings as they are. */
  async reread() {
    await this.readWith(() => ipc.calibratePreview(this.options()));
  }

  async start() {
    if (!this.preview || this.holdoutFrom.trim() === "") return;
    const options = this.options();
    const to = this.holdoutTo.trim() || null;
    const view = await this.job.run((events) => ipc.calibrateRun(options, this.holdoutFrom.trim(), to, events));
    if (view) this.view = view;
  }

  async cancel() {
    await this.job.cancel();
  }

  /** The calibrated scenario becomes the open document (the Scenario screen shows it). */
  async openAsScenario() {
    try {
      await app.open(await ipc.calibrateOpenScenario());
    } catch (e) {
      app.fail(e);
    }
  }

  async export(format: ExportFormat, chart: string | null = null) {
    try {
      const path = await ipc.exportCalibration(format, chart);
      if (path) app.say(`Exported to ${path}.`);
    } catch (e) {
      app.fail(e);
    }
  }
}

export const calibration = new CalibrationState();
