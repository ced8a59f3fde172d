// The app's IPC. Every command, its arguments, result and error, the events and the shared
// constants are generated from the Rust signatures into ../bindings.ts (`make bindings`); this
// module adds only the error shape and the event channels. It and bindings.ts are the only
// modules importing @tauri-apps/api.
import { Channel } from "@tauri-apps/api/core";
import type { UnlistenFn } from "@tauri-apps/api/event";
import { commands, events, type ErrorCode, type IpcError } from "../bindings";

export type { Channel };

/** Every command of the app, typed; each rejects with an `IpcError`. */
export const ipc = commands;

/** Errors from the app always arrive as `{code, message, location?}`; anything else is wrapped as `ipc.failed`. */
export function asIpcError(e: unknown): IpcError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const x = e as Partial<IpcError>;
    return { code: x.code as ErrorCode, message: String(x.message), location: x.location ?? null, diagnostics: x.diagnostics ?? [] };
  }
  return { code: "ipc.failed", message: String(e), location: null, diagnostics: [] };
}

/** A channel for a command's streamed events. */
export function channel<E>(onEvent: (e: E) => void): Channel<E> {
  const c = new Channel<E>();
  c.onmessage = onEvent;
  return c;
}

/** Menu items (and their shortcuts) arrive as events carrying the item id. */
export function onMenu(handler: (id: string) => void): Promise<UnlistenFn> {
  return events.menuChosen.listen((e) => handler(e.payload));
}
