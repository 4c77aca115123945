import type { TelemetryError } from "../errors/index.js";

/**
 * Calls the host's `onError`, which must not turn an I/O problem into a crash: neither by
 * throwing nor, when it is async (the type allows it: its promise is ignored), by a rejection,
 * which unhandled would end the process.
 */
export function callOnError(onError: (error: TelemetryError) => unknown, error: TelemetryError) {
  try {
    const result = onError(error);
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      (result as PromiseLike<unknown>).then(undefined, () => undefined);
    }
  } catch {
    // Contained: the failure itself is already counted in stats().
  }
}
