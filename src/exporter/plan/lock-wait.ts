import { TelemetryError } from "../../errors/index.js";
import { DEFAULT_LOCK_WAIT_MS } from "../contracts.js";

/** How long a run waits for another run's lock on its output: the default, or checked. */
export function planLockWait(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_LOCK_WAIT_MS;
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new TelemetryError("usage", "`lockWaitMs` must be a whole number, 0 or more", {
      path: ["lockWaitMs"],
    });
  }
  return ms;
}
