import type { TelemetryError } from "../errors/index.js";
import type { ResolvedRotation } from "./rotation-options.js";
import { Rotator } from "./rotator.js";
import { SegmentMaintenance } from "./segment-maintenance.js";

/** What rotation reports back to its tracker. */
export interface RotationHooks {
  readonly onError: (error: TelemetryError) => void;
  readonly count: (what: "rotated" | "compressed" | "removed") => void;
}

/**
 * The rotation of one channel, when the `rotate` option is given: the {@link Rotator} its file consults before each write, and the
 * background {@link SegmentMaintenance} (only when compression or retention is configured).
 */
export function channelRotation(
  channel: string,
  options: {
    readonly rotate: ResolvedRotation | undefined;
    readonly directory: string;
    readonly clock: () => number;
    readonly fileMode: number;
  },
  hooks: RotationHooks,
): { rotator: Rotator | undefined; maintenance: SegmentMaintenance | undefined } {
  const { rotate: rotation, directory, clock, fileMode } = options;
  // Off by default: no rotator, no maintenance, no lock file, no timer.
  if (rotation === undefined) return { rotator: undefined, maintenance: undefined };
  const maintenance = SegmentMaintenance.wanted(rotation)
    ? new SegmentMaintenance({
        directory,
        channel,
        rotation,
        clock,
        fileMode,
        onError: hooks.onError,
        onCompressed: () => hooks.count("compressed"),
        onRemoved: () => hooks.count("removed"),
      })
    : undefined;
  const rotator = new Rotator({
    directory,
    channel,
    rotation,
    clock,
    fileMode,
    onError: hooks.onError,
    onRotated: () => {
      hooks.count("rotated");
      // Not before graceMs: until then a late writer of another process may still append.
      maintenance?.schedule(rotation.graceMs);
    },
  });
  return { rotator, maintenance };
}
