// The app's theme: light or dark, following the system (prefers-color-scheme), as styles.css does.
// Charts are drawn by the core in the same theme and redrawn when it changes.

export type ThemeName = "light" | "dark";

const query: MediaQueryList | null =
  typeof window !== "undefined" && typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;

class Theme {
  name: ThemeName = $state(query?.matches ? "dark" : "light");

  constructor() {
    query?.addEventListener("change", (e) => (this.name = e.matches ? "dark" : "light"));
  }
}

export const theme = new Theme();
