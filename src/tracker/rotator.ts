import { lstatSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { TelemetryError } from "../errors/index.js";
import { renameToFreeSegment } from "./claim-segment.js";
import { DirLock } from "./dir-lock.js";
import type { ResolvedRotation } from "./rotation-options.js";
import { LAST_STAMP, listSegments, type Segment } from "./segment-names.js";

/** What a {@link Rotator} needs from its tracker. */
export interface RotatorOptions {
  readonly directory: string;
  readonly channel: string;
  readonly rotation: ResolvedRotation;
  readonly clock: () => number;
  readonly fileMode: number;
  /** Called after this process turned the live file into a segment. */
  readonly onRotated: () => void;
  readonly onError: (error: TelemetryError) => void;
}

const HOUR_MS = 3_600_000;
const RETRY_MS = 1_000;
const DAY_MS = 24 * HOUR_MS;
// A file's time has sub-millisecond precision, Date.now() not: a file just written can look a
// fraction of a millisecond ahead. Only more than this counts as written by a clock that was.
const AHEAD_SLACK_MS = 1_000;

/**
 * Decides, before each write, whether `<channel>.jsonl` must become a segment, and renames it.
 * Several processes may share the channel: the rename happens under a lock file, after the
 * decision is taken again on the file as it is then, so a process never rotates a live file
 * another one has just started. A writer of another process that checked the file just before
 * the rename still appends into the new segment: segments are compressed or deleted only once
 * quiescent (see SegmentMaintenance).
 */
export class Rotator {
  private readonly live: string;
  private readonly lock: DirLock;
  // When the live file was started, by `clock`, as far as this process knows: the time of its
  // own last rotation, or what the directory tells (see startFrom). Never a segment's stamp
  // taken blindly: a stamp can be ahead of the clock for as long as the clock stays behind it.
  private liveStart: number | undefined;
  // The newest segment this process knows of: a newer one is another process's rotation.
  private knownNewest: Pick<Segment, "rotatedAt" | "serial"> | undefined;
  // After a failed rotation (a read-only directory, say), writes go on to the live file and the
  // next attempt waits: one error a second at most, not one per write. Monotonic time: a wall
  // clock stepped back would put the next attempt off until it caught up again.
  private retryAt = 0;

  constructor(private readonly options: RotatorOptions) {
    this.live = join(options.directory, `${options.channel}.jsonl`);
    this.lock = new DirLock(
      join(options.directory, `.${options.channel}.rotate-lock`),
      options.fileMode,
    );
  }

  /** True when the live file, `size` bytes now, should be rotated before `incoming` more. */
  due(size: number, incoming: number): boolean {
    const { size: limit, frequency } = this.options.rotation;
    const bySize = size > 0 && limit !== undefined && size + incoming > limit;
    if (frequency === undefined) return bySize;
    const now = this.now();
    if (now === undefined) return bySize;
    // Looked up at the first write, even of an empty file, which then starts now.
    this.liveStart ??= this.startOfLive(now);
    if (bySize) return true;
    if (size === 0) return false;
    // Any other period, earlier as well: a live file started while the clock was ahead would
    // otherwise grow until the clock got back there.
    return periodOf(now, frequency) !== periodOf(this.liveStart, frequency);
  }

  /**
   * Rotates `ino` (the live file this writer holds) if it is still due, under the lock. True when
   * the caller must reopen: rotated here, or already replaced by another process. Never throws:
   * a failed rotation is reported, and the write goes to the live file as without rotation.
   */
  rotate(ino: number, incoming: number): boolean {
    if (performance.now() < this.retryAt) return false;
    try {
      if (!this.lock.tryAcquire()) return false;
    } catch (cause) {
      this.report("was not rotated: no rotation lock", cause);
      return false;
    }
    try {
      const current = lstatSync(this.live, { throwIfNoEntry: false });
      if (current === undefined || current.ino !== ino) return true;
      const now = this.now();
      if (now === undefined) return false;
      const newest = listSegments(this.options.directory, this.options.channel).at(-1);
      // Another process may have rotated since this one last looked: the live file is its.
      if (newest !== undefined && isNewer(newest, this.knownNewest)) {
        this.liveStart = this.startFrom(newest, now);
        this.knownNewest = newest;
      }
      if (!this.due(current.size, incoming)) return false;
      // Never before the newest segment, so names sort in rotation order even when the clock
      // stands still or steps back.
      // Past the last stamp (a segment of 9999 put there by hand, a clock that far ahead), the
      // last one again: its serials go on in rotation order.
      const next = newest === undefined ? now : Math.max(now, newest.rotatedAt + 1);
      const stamp = Math.min(next, LAST_STAMP);
      const { directory, channel, fileMode } = this.options;
      const serial = renameToFreeSegment(directory, channel, this.live, stamp, fileMode);
      // The new file starts now by the clock, whatever the stamp (pushed past the newest).
      this.liveStart = now;
      this.knownNewest = { rotatedAt: stamp, serial };
      this.options.onRotated();
      return true;
    } catch (cause) {
      this.report("could not be rotated", cause);
      return false;
    } finally {
      this.lock.release();
    }
  }

  /**
   * The injected clock's time, or undefined when it throws or is not a finite number: then the
   * write goes to the live file, unrotated, and the failure is reported (once a second at most),
   * rather than the write being lost to a clock that is not I/O.
   */
  private now(): number | undefined {
    let now: unknown;
    let cause: unknown;
    try {
      now = this.options.clock();
    } catch (error) {
      cause = error;
    }
    if (typeof now === "number" && Number.isFinite(now)) return now;
    if (performance.now() >= this.retryAt) {
      this.report("was not rotated: the clock failed", cause ?? `it returned ${String(now)}`);
    }
    return undefined;
  }

  private startOfLive(now: number): number {
    const newest = listSegments(this.options.directory, this.options.channel).at(-1);
    this.knownNewest = newest;
    return this.startFrom(newest, now);
  }

  /**
   * When the live file started, read from the directory: the newest segment's stamp, unless it
   * is later than now (rotated while the clock was ahead, or pushed past an earlier such stamp).
   * Then, as with no segment at all, the live file's last write is the best clue to its period:
   * an empty file starts now, and one last written in an earlier period holds nothing of the
   * current one. Nor does one written after now by the system clock (whose time files carry):
   * written while that clock was ahead. A later time that is not (an injected clock behind the
   * system's) is taken as now.
   */
  private startFrom(newest: Segment | undefined, now: number): number {
    if (newest !== undefined && newest.rotatedAt <= now) return newest.rotatedAt;
    try {
      const stat = lstatSync(this.live, { throwIfNoEntry: false });
      if (stat === undefined || stat.size === 0) return now;
      const ahead = stat.mtimeMs > Date.now() + AHEAD_SLACK_MS;
      return ahead ? stat.mtimeMs : Math.min(stat.mtimeMs, now);
    } catch {
      // Unreadable: the write that follows reports the problem; count the file as new.
      return now;
    }
  }

  private report(what: string, cause: unknown): void {
    this.retryAt = performance.now() + RETRY_MS;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    this.options.onError(
      new TelemetryError("io_error", `${this.live} ${what} (${code})`, { cause }),
    );
  }
}

function isNewer(
  segment: Pick<Segment, "rotatedAt" | "serial">,
  known: Pick<Segment, "rotatedAt" | "serial"> | undefined,
): boolean {
  if (known === undefined) return true;
  return (
    segment.rotatedAt > known.rotatedAt ||
    (segment.rotatedAt === known.rotatedAt && segment.serial > known.serial)
  );
}

/** The index of the UTC day or hour holding `ms`. */
export function periodOf(ms: number, frequency: "daily" | "hourly"): number {
  return Math.floor(ms / (frequency === "daily" ? DAY_MS : HOUR_MS));
}
