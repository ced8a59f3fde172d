// One line at the bottom of the window: what just happened, or what went wrong.
import { asIpcError } from "../ipc";

class Toast {
  current = $state<{ text: string; error: boolean } | null>(null);

  say(text: string, error = false) {
    this.current = { text, error };
    const shown = this.current;
    setTimeout(() => {
      if (this.current === shown) this.current = null;
    }, 5000);
  }

  fail(e: unknown) {
    this.say(asIpcError(e).message, true);
  }
}

export const toast = new Toast();
