// The core's one vocabulary (the `vocabulary` command): every metric's name, definition, unit in a
// currency and direction, and the glossary of statistical terms. The UI writes none of its own; it
// asks once per currency and every screen, tooltip and the Glossary read from here.
import type { MetricDefDto, TermDto, VocabularyDto } from "../bindings";
import { ipc } from "../ipc";

class Vocabulary {
  #loaded = $state<Record<string, VocabularyDto>>({});
  #asked = new Set<string>();

  /** The vocabulary with money in `currency` (null: the core's default), or null until it has arrived. */
  in(currency: string | null = null): VocabularyDto | null {
    const key = currency ?? "";
    const loaded = this.#loaded[key];
    if (loaded) return loaded;
    if (!this.#asked.has(key)) {
      this.#asked.add(key);
      ipc.vocabulary(currency).then(
        (v) => {
          // The default is also its currency's ("USD"): asked for either way, it arrives once.
          this.#loaded[key] = v;
          this.#loaded[v.currency] = v;
        },
        () => this.#asked.delete(key),
      );
    }
    return null;
  }

  /** Metric `id` as the core names and defines it, its unit in `currency`. */
  metric(id: string, currency: string | null = null): MetricDefDto | null {
    return this.in(currency)?.metrics.find((m) => m.id === id) ?? null;
  }

  /** Glossary term `id`. */
  term(id: string): TermDto | null {
    return this.in()?.glossary.find((t) => t.id === id) ?? null;
  }
}

export const vocabulary = new Vocabulary();
