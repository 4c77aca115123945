import { integerOption, invalid, rejectUnknownKeys } from "./option-errors.js";

/** How often the live file is rotated, at UTC period boundaries. */
export type RotationFrequency = "daily" | "hourly";

export const ROTATION_FREQUENCIES: readonly RotationFrequency[] = ["daily", "hourly"];

/**
 * The `rotate` option: when `<channel>.jsonl` becomes a segment `<channel>.<STAMP>.jsonl`, and
 * what happens to segments afterwards. `size` and `frequency` follow pino-roll's options.
 */
export interface RotateOptions {
  /** Rotate before a write that would take the live file over this many bytes. */
  readonly size?: number;
  /**
   * Rotate at the first write of a new UTC day or hour: any other period than the live file's,
   * an earlier one too (a clock set back).
   */
  readonly frequency?: RotationFrequency;
  /** Gzip rotated segments in the background. Default `false`. */
  readonly compress?: boolean;
  /** Keep at most this many segments per channel, deleting the oldest. Default: no limit. */
  readonly maxSegments?: number;
  /**
   * Delete segments rotated more than this many ms ago (by `clock`; a segment stamped after now
   * is dated by its file, see segment-dates.ts). Default: no limit.
   */
  readonly maxAgeMs?: number;
  /**
   * A segment is compressed or deleted only once nothing has written to it for this long: a
   * writer of another process may still be finishing an append it began before the rotation.
   * Default 60000.
   */
  readonly graceMs?: number;
}

/** The `rotate` option with its defaults applied. */
export interface ResolvedRotation {
  readonly size: number | undefined;
  readonly frequency: RotationFrequency | undefined;
  readonly compress: boolean;
  readonly maxSegments: number | undefined;
  readonly maxAgeMs: number | undefined;
  readonly graceMs: number;
}

export const DEFAULT_GRACE_MS = 60_000;

/** Checks `rotate`; `undefined` (rotation off) when it is left out. */
export function resolveRotation(value: unknown): ResolvedRotation | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid("rotate", "an object such as { size: 10485760 }", value);
  }
  const options = value as Record<string, unknown>;
  const at = (key: string) => ["rotate", key];
  const size =
    options.size === undefined ? undefined : integerOption(at("size"), options.size, 0, 1);
  const frequency = options.frequency;
  if (frequency !== undefined && !ROTATION_FREQUENCIES.includes(frequency as RotationFrequency)) {
    invalid(at("frequency"), `one of ${ROTATION_FREQUENCIES.join(", ")}`, frequency);
  }
  if (options.compress !== undefined && typeof options.compress !== "boolean") {
    invalid(at("compress"), "a boolean", options.compress);
  }
  const optional = (key: string) =>
    options[key] === undefined ? undefined : integerOption(at(key), options[key], 0, 1);
  const resolved: ResolvedRotation = {
    size,
    frequency: frequency as RotationFrequency | undefined,
    compress: options.compress === true,
    maxSegments: optional("maxSegments"),
    maxAgeMs: optional("maxAgeMs"),
    graceMs: integerOption(at("graceMs"), options.graceMs, DEFAULT_GRACE_MS, 0),
  };
  rejectUnknownKeys(options, Object.keys(resolved), ["rotate"]);
  if (size === undefined && frequency === undefined) {
    invalid("rotate", "size and/or frequency", value, "neither");
  }
  return resolved;
}
