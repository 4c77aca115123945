/**
 * Every code a {@link TelemetryError} can carry. Stable: callers branch on these.
 *
 * Tracker: `invalid_channel`, `invalid_event`, `invalid_payload`, `invalid_timestamp`,
 * `unknown_event`, `event_too_large`, `tracker_closed`, `invalid_options`, `io_error`.
 * Exporter: `usage`, `invalid_records`, `output_conflict`, `input_error`, `io_error`,
 * `inconsistent_counts`, `output_locked`.
 */
export type TelemetryErrorCode =
  | "invalid_channel"
  | "invalid_event"
  | "invalid_payload"
  | "invalid_timestamp"
  | "unknown_event"
  | "event_too_large"
  | "tracker_closed"
  | "invalid_options"
  | "io_error"
  | "usage"
  | "invalid_records"
  | "output_conflict"
  | "input_error"
  | "inconsistent_counts"
  | "output_locked";

/** One problem found in a value, as data: what went wrong, where, and why. */
export interface Issue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Options accepted by the {@link TelemetryError} constructor. */
export interface TelemetryErrorOptions {
  /** The underlying error, for I/O failures. */
  readonly cause?: unknown;
  /** Structured problems behind this error. Default: one issue repeating the code and message. */
  readonly issues?: readonly Issue[];
  /** The option the error is about, as zod paths go: `["rowGroupSize"]`. */
  readonly path?: readonly (string | number)[];
}

/** The single error type thrown or reported by the SDK and the exporter. */
export class TelemetryError extends Error {
  override readonly name = "TelemetryError";
  readonly code: TelemetryErrorCode;
  readonly issues: readonly Issue[];
  /** The option the error is about (`["rowGroupSize"]`), when it is about one. */
  readonly path: readonly (string | number)[] | undefined;

  constructor(code: TelemetryErrorCode, message: string, options: TelemetryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // Never empty: a caller can always read issues[0] for the code, the path and the reason.
    this.issues = options.issues ?? [{ code, path: options.path ?? [], message }];
    this.path = options.path;
  }
}

/** True when `value` is a {@link TelemetryError}, optionally with the given code. */
export function isTelemetryError(
  value: unknown,
  code?: TelemetryErrorCode,
): value is TelemetryError {
  return value instanceof TelemetryError && (code === undefined || value.code === code);
}
