// One line at the bottom of the window: what just happened, or what went wrong. An error stays
// until it is dismissed (or replaced by the next message); other messages go after a while.
import { asIpcError } from "../ipc";

/** A button on the message, e.g. Undo after a delete. */
export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface ToastMessage {
  text: string;
  error: boolean;
  action?: ToastAction;
}

/** How long a message without an action stays; one with an action stays twice as long. */
export const INFO_MS = 5000;

class Toast {
  // Raw: `say` compares the message it set by identity, which a deep proxy would break.
  current = $state.raw<ToastMessage | null>(null);

  say(text: string, error = false, action?: ToastAction) {
    const shown: ToastMessage = { text, error, action };
    this.current = shown;
    if (error) return;
    setTimeout(
      () => {
        if (this.current === shown) this.current = null;
      },
      action ? 2 * INFO_MS : INFO_MS,
    );
  }

  fail(e: unknown) {
    this.say(asIpcError(e).message, true);
  }

  dismiss() {
    this.current = null;
  }

  /** Runs the message's action once and takes the message away. */
  async act() {
    const action = this.current?.action;
    this.current = null;
    await action?.run();
  }
}

export const toast = new Toast();
