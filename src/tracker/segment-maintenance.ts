import { lstat, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { TelemetryError } from "../errors/index.js";
import { compressSegment } from "./compress-segment.js";
import { DirLock } from "./dir-lock.js";
import type { ResolvedRotation } from "./rotation-options.js";
import { FirstSeen, rotationTimes } from "./segment-dates.js";
import { groupSegments, isCompressTemp, type Segment } from "./segment-names.js";
import { MAX_TIMER_MS } from "./timer-limit.js";

/** What a {@link SegmentMaintenance} needs from its tracker. */
export interface MaintenanceOptions {
  readonly directory: string;
  readonly channel: string;
  readonly rotation: ResolvedRotation;
  readonly clock: () => number;
  readonly fileMode: number;
  readonly onCompressed: () => void;
  readonly onRemoved: () => void;
  readonly onError: (error: TelemetryError) => void;
}

// Another process holds the maintenance lock: look again after this long.
const BUSY_RETRY_MS = 1_000;
// A held lock is refreshed this often, far within its staleness limit.
const REFRESH_MS = 5_000;

/**
 * Compresses and deletes one channel's segments, in the background, never on `record()`'s path.
 * One process at a time per channel (a lock file), and only quiescent segments: a segment is
 * touched once nothing has written to it or renamed it for `graceMs` (by the system
 * clock the file system uses), because a writer of another process that checked the live file
 * just before it was renamed may still append to it.
 */
export class SegmentMaintenance {
  private readonly lock: DirLock;
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  private stopped = false;
  private again = false;
  // Segments dated after now, by name (for their age) or by file (for quiescence).
  private readonly rotationSeen = new FirstSeen();
  private readonly writeSeen = new FirstSeen();

  constructor(private readonly options: MaintenanceOptions) {
    const path = join(options.directory, `.${options.channel}.maintain-lock`);
    this.lock = new DirLock(path, options.fileMode);
  }

  /** True when there is anything to maintain (compression or retention configured). */
  static wanted(rotation: ResolvedRotation): boolean {
    return (
      rotation.compress || rotation.maxSegments !== undefined || rotation.maxAgeMs !== undefined
    );
  }

  /** Runs a pass in `delayMs` (or earlier if one is already due sooner). */
  schedule(delayMs: number): void {
    if (this.stopped) return;
    // Longer than a timer takes (a `graceMs` that long), the pass would schedule itself again at
    // once, forever. Early, it looks again.
    delayMs = Math.min(delayMs, MAX_TIMER_MS);
    // Monotonic, as timers are: a wall clock stepped forward would keep a later timer over a
    // pass asked for now.
    const at = performance.now() + delayMs;
    if (this.timer !== undefined && this.dueAt <= at) return;
    clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dueAt = Number.POSITIVE_INFINITY;
      void this.run();
    }, delayMs);
    // Maintenance never keeps the host alive; a later tracker picks up what is left.
    this.timer.unref();
  }

  /** Runs a pass now; during one, runs another right after it (it may have listed too early). */
  run(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Cancels future passes and waits for the current one (it stops after its current segment). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async pass(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.lock.tryAcquire()) {
        this.schedule(BUSY_RETRY_MS);
        return;
      }
    } catch (cause) {
      // No directory yet (nothing written so far): nothing to maintain.
      if ((cause as NodeJS.ErrnoException).code !== "ENOENT")
        this.report("no maintenance lock", cause);
      return;
    }
    const refresher = setInterval(() => this.lock.refresh(), REFRESH_MS);
    refresher.unref();
    try {
      const wait = await this.work();
      if (wait !== undefined) this.schedule(wait);
    } catch (cause) {
      this.report("maintenance failed", cause);
    } finally {
      clearInterval(refresher);
      this.lock.release();
    }
  }

  /** One pass; returns when to look again for segments that were not yet quiescent. */
  private async work(): Promise<number | undefined> {
    const { directory, channel, rotation } = this.options;
    const files = await readdir(directory);
    // Under the lock, a temp file is a dead (or given up) compression's: its source is intact.
    for (const file of files.filter((f) => isCompressTemp(channel, f))) {
      await unlink(join(directory, file)).catch(() => undefined);
    }
    const segments = groupSegments(channel, files);
    const names = new Set(segments.map((segment) => segment.name));
    this.rotationSeen.retain(names);
    this.writeSeen.retain(names);
    const now = this.options.clock();
    const rotated =
      rotation.maxAgeMs === undefined
        ? []
        : await rotationTimes(directory, segments, now, this.rotationSeen);
    let wait: number | undefined;
    const later = (ms: number) => {
      wait = Math.min(wait ?? ms, ms);
    };
    const kept: Segment[] = [];
    for (const [i, segment] of segments.entries()) {
      const tooMany =
        rotation.maxSegments !== undefined && i < segments.length - rotation.maxSegments;
      const tooOld =
        rotation.maxAgeMs !== undefined && now - (rotated[i] as number) > rotation.maxAgeMs;
      if (!tooMany && !tooOld) {
        kept.push(segment);
        continue;
      }
      if (this.stopped) return undefined;
      const quiet = await this.quietIn(segment);
      if (quiet === undefined) continue;
      if (quiet > 0) later(quiet);
      else {
        try {
          await this.remove(segment);
        } catch (cause) {
          // As for compression below: one segment that cannot go is reported, not the end of
          // retention for every later one.
          this.report(`${segment.name} not removed`, cause);
        }
      }
    }
    if (!rotation.compress) return wait;
    for (const segment of kept) {
      if (!segment.plain || this.stopped) continue;
      const quiet = await this.quietIn(segment);
      if (quiet === undefined) continue;
      if (quiet > 0) {
        later(quiet);
        continue;
      }
      let outcome: Awaited<ReturnType<typeof compressSegment>>;
      try {
        outcome = await compressSegment(directory, segment.name, this.options.fileMode);
      } catch (cause) {
        // One segment that cannot be compressed (a directory under its .gz name, put there by
        // hand) is reported and passed by: it is the oldest, so stopping there would leave
        // every later segment uncompressed for good.
        this.report(`${segment.name} not compressed`, cause);
        continue;
      }
      if (outcome === "compressed") this.options.onCompressed();
      else if (outcome === "changed") later(rotation.graceMs);
    }
    return wait;
  }

  /** Ms until `segment` is quiescent (<= 0: now); undefined when it is gone. */
  private async quietIn(segment: Segment): Promise<number | undefined> {
    const path = join(this.options.directory, segment.name);
    // Nobody appends to a compressed file; but something else under its name (a directory put
    // there by hand) cannot be unlinked, and would fail every pass at the oldest segment.
    if (!segment.plain) {
      const gz = await lstat(`${path}.gz`).catch(() => undefined);
      return gz?.isFile() === true || gz?.isSymbolicLink() === true ? 0 : undefined;
    }
    const stat = await lstat(path).catch(() => undefined);
    if (stat === undefined) return segment.gzipped ? 0 : undefined;
    // Never read through a symlink planted under a segment's name.
    if (!stat.isFile()) return undefined;
    const now = Date.now();
    // Quiet since its last write or its rename, whichever came later: the rename sets the
    // status-change time (a write sets both). A file written long before it was rotated keeps
    // that old mtime, and a writer that checked the live file just before the rename may not
    // have appended yet: by mtime alone it would look quiescent the moment it became a segment.
    const changed = Math.max(stat.mtimeMs, stat.ctimeMs);
    // Changed after now: the clock was ahead then, so how long ago is unknown; counted from
    // when this process first saw it, not from a date that may be a year away.
    const modified = this.writeSeen.date(segment.name, changed, now);
    return this.options.rotation.graceMs - (now - modified);
  }

  private async remove(segment: Segment): Promise<void> {
    const path = join(this.options.directory, segment.name);
    if (segment.gzipped) await unlinkIfThere(`${path}.gz`);
    if (segment.plain) await unlinkIfThere(path);
    this.options.onRemoved();
  }

  private report(what: string, cause: unknown): void {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
    const where = join(this.options.directory, `${this.options.channel}.*`);
    this.options.onError(new TelemetryError("io_error", `${where}: ${what} (${code})`, { cause }));
  }
}

async function unlinkIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
