import { defineConfig, type Plugin } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Tauri freezes Object.prototype (tauri.conf.json: freezePrototype). d3-color, under Svelte Flow's zoom, assigns
// `prototype.constructor` on an object literal, which a frozen Object.prototype forbids (the assignment throws and
// the app never starts). Define the property instead of assigning it; fail the build if d3-color changes.
const d3ColorUnderFrozenPrototype: Plugin = {
  name: "d3-color-frozen-prototype",
  transform(code, id) {
    if (!/[\\/]d3-color[\\/].*\.m?js$/.test(id)) return null;
    const assignment = "prototype.constructor = constructor;";
    if (!code.includes(assignment)) this.error("d3-color no longer assigns prototype.constructor: revisit this plugin");
    return code.replace(
      assignment,
      'Object.defineProperty(prototype, "constructor", { value: constructor, writable: true, configurable: true });',
    );
  },
};

// The app loads ui/dist from the binary (no dev server), so builds are relative and self-contained.
export default defineConfig({
  plugins: [svelte(), d3ColorUnderFrozenPrototype],
  base: "./",
  clearScreen: false,
  build: { target: "safari15", outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
