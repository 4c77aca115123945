import { TelemetryError } from "../../errors/index.js";

/**
 * `full`, checked: it makes an incremental run ignore its saved state, so without `incremental`
 * (a run that keeps no state and reads everything anyway) it would do nothing. Refused rather
 * than ignored: someone who typed it expected a state to be read, or ignored.
 */
export function planFull(options: {
  readonly full?: boolean | undefined;
  readonly incremental?: boolean | undefined;
}): boolean {
  const full = options.full === true;
  if (full && options.incremental !== true) {
    throw new TelemetryError(
      "usage",
      "`full` needs `incremental` (it ignores the saved state of an incremental run; a run without one reads everything already)",
      { path: ["full"] },
    );
  }
  return full;
}
