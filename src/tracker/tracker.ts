import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { TelemetryError } from "../errors/index.js";
import {
  CHANNEL_PATTERN,
  eventNameSchema,
  type Payload,
  SCHEMA_VERSION_V1,
  type TelemetryEvent,
} from "../schema/index.js";
import { checkCatalogChannel, parseCatalogPayload } from "./catalog-check.js";
import { ChannelFile } from "./channel-file.js";
import { channelLogger } from "./channel-logger.js";
import { channelRotation } from "./channel-rotation.js";
import { registerExitFlush, unregisterExitFlush } from "./exit-flush.js";
import { FailureReports } from "./failure-reports.js";
import { HandlePool } from "./handle-pool.js";
import { invalidChannel, invalidEvent, outOfStack, unserializablePayload } from "./input-errors.js";
import { type PayloadRules, toJsonPayload } from "./json-payload.js";
import {
  type Catalog,
  type ResolvedTrackerOptions,
  resolveTrackerOptions,
  type TrackerOptions,
} from "./options.js";
import type { ChannelOf, EventOf, PayloadArgs, PayloadOf, RecordOptions } from "./record-types.js";
import { resolveTimestamp, type TimestampInput } from "./resolve-timestamp.js";
import { ScratchBuffer } from "./scratch-buffer.js";
import type { SegmentMaintenance } from "./segment-maintenance.js";
import { MAX_TIMER_MS } from "./timer-limit.js";
import type { TrackerStats } from "./tracker-stats.js";

export type { RecordOptions, TimestampInput, TrackerStats };

interface ChannelState {
  readonly logger: Logger;
  readonly file: ChannelFile;
  /** A child logger per event name: pino serializes its bindings once, not per event. */
  readonly byEvent: Map<string, Logger>;
  readonly maintenance: SegmentMaintenance | undefined;
}

const MAX_CHILD_LOGGERS = 1_000;

// Flushes of events recorded by onError during a flush (see flushSync).
const MAX_FLUSH_ROUNDS = 4;

// Event names repeat; remembering the valid ones keeps zod off the hot path. Bounded.
const MAX_CACHED_EVENT_NAMES = 10_000;

/** Records telemetry events as JSON Lines, one file per channel, written through pino. */
export class Tracker<C extends Catalog | undefined = undefined> {
  private readonly options: ResolvedTrackerOptions;
  private readonly rules: PayloadRules;
  private readonly channels = new Map<string, ChannelState>();
  private readonly eventNames = new Set<string>();
  private readonly handles: HandlePool;
  private readonly scratch = new ScratchBuffer();
  private readonly failures: FailureReports;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  // Set once the process's exit flush has run: nothing would write a buffer after it.
  private exited: boolean;
  private counters = {
    recorded: 0,
    written: 0,
    dropped: 0,
    errors: 0,
    rotated: 0,
    compressed: 0,
    removed: 0,
  };

  constructor(options: TrackerOptions<C> = {}) {
    const resolved = resolveTrackerOptions(options as TrackerOptions<Catalog | undefined>);
    // Resolved now: files reopened after a rotation, or closed by maxOpenFiles, must not follow
    // a later process.chdir() into another tree.
    this.options = { ...resolved, directory: resolve(resolved.directory) };
    this.rules = {
      redact: this.options.redact,
      censor: this.options.redactCensor,
      maxDepth: this.options.maxDepth,
    };
    this.handles = new HandlePool(this.options.maxOpenFiles);
    this.failures = new FailureReports(this.options.onError, () => {
      this.counters.errors++;
    });
    this.exited = registerExitFlush(this, this.options.handleSignals);
  }

  /**
   * Validates an event, buffers its line for `<directory>/<channel>.jsonl` and returns the
   * canonical event exactly as written. Throws `TelemetryError` on bad input, never on I/O.
   */
  record<Ch extends ChannelOf<C>, E extends EventOf<C, Ch>>(
    channel: Ch,
    event: E,
    ...rest: PayloadArgs<PayloadOf<C, Ch, E>>
  ): TelemetryEvent;
  record(
    channel: string,
    event: string,
    payload?: unknown,
    options?: RecordOptions,
  ): TelemetryEvent {
    if (this.closed) throw new TelemetryError("tracker_closed", "record() after close()");
    let state: ChannelState;
    let data: Payload;
    let timestamp: string;
    try {
      state = this.channels.get(channel) ?? this.openChannel(channel, event);
      this.checkEventName(event);
      const { catalog, catalogUnknownKeys } = this.options;
      const checked = payload === undefined ? {} : payload;
      data = toJsonPayload(
        catalog === undefined
          ? checked
          : parseCatalogPayload(catalog, channel, event, checked, catalogUnknownKeys),
        this.rules,
      );
      timestamp = resolveTimestamp(options, this.options.clock);
    } catch (cause) {
      // Called with little stack left (deep in an app's recursion), any step can overflow it:
      // nothing was written, and the caller gets a TelemetryError, as for any refused event.
      if (cause instanceof RangeError) outOfStack(cause);
      throw cause;
    }
    // Closed by the payload's own code (a getter, a toJSON) while it was read: the files are
    // closed, so the event would be buffered and never written.
    if (this.closed) {
      throw new TelemetryError("tracker_closed", "close() was called while the event was read");
    }
    // pino writes schema_version (level formatter), channel (base), event (child bindings),
    // then these: the canonical key order.
    let logger = state.byEvent.get(event);
    if (logger === undefined) {
      if (state.byEvent.size >= MAX_CHILD_LOGGERS) state.byEvent.clear();
      logger = state.logger.child({ event });
      state.byEvent.set(event, logger);
    }
    logger.info({ timestamp, payload: data });
    if (state.file.unserializable) {
      state.file.unserializable = false;
      unserializablePayload();
    }
    if (state.file.rejected) {
      state.file.rejected = false;
      throw new TelemetryError(
        "event_too_large",
        `event is larger than maxEventBytes (${this.options.maxEventBytes} bytes)`,
      );
    }
    this.counters.recorded++;
    if (this.exited) state.file.flush();
    else this.scheduleFlush();
    return { schema_version: SCHEMA_VERSION_V1, channel, event, timestamp, payload: data };
  }

  /** Resolves once every event recorded so far is written (or reported as dropped). */
  flush(): Promise<void> {
    this.flushSync();
    return Promise.resolve();
  }

  /** Writes every buffered event now; used at process exit. */
  flushSync(): void {
    // An onError that records (a failed write reported as an event) buffers events during the
    // flush, maybe in a channel already flushed: at exit or on a signal nothing would write
    // them later. They are flushed too, a few rounds deep at most, so that a handler recording
    // into a channel that fails as well cannot loop forever.
    for (let round = 0; round < MAX_FLUSH_ROUNDS && (round === 0 || this.hasPending()); round++) {
      this.flushHeld()();
    }
  }

  /**
   * Writes every buffered event now and returns what tells the failures met, once every channel
   * is written: an onError that ends the process (`process.exit(1)`) must not leave the other
   * channels, or (at exit and on a signal, see flushEvery) the other trackers, unwritten.
   */
  flushHeld(): () => void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    return this.failures.hold(() => {
      for (const state of this.channels.values()) state.file.flush();
    });
  }

  /** Called once the process's exit flush has run: later events are written at once. */
  writeThrough(): void {
    this.exited = true;
  }

  /**
   * Flushes and closes every file. Idempotent; `record()` afterwards throws `tracker_closed`.
   * With `rotate`, resolves once a compression in progress has finished its segment.
   */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.flushSync();
      for (const state of this.channels.values()) state.file.close();
      unregisterExitFlush(this);
    }
    const passes = [...this.channels.values()].map((state) => state.maintenance?.stop());
    return Promise.all(passes).then(() => undefined);
  }

  /** Counters: recorded, written, dropped, errors, pending, and rotated, compressed, removed. */
  stats(): TrackerStats {
    let pending = 0;
    for (const state of this.channels.values()) pending += state.file.pendingCount;
    return { ...this.counters, pending };
  }

  private hasPending(): boolean {
    for (const state of this.channels.values()) if (state.file.pendingCount > 0) return true;
    return false;
  }

  private openChannel(channel: string, event: unknown): ChannelState {
    // With a catalogue, the catalogue is the authority on which channels exist.
    const catalog = this.options.catalog;
    if (catalog !== undefined && typeof channel === "string")
      checkCatalogChannel(catalog, channel, event);
    if (typeof channel !== "string" || !CHANNEL_PATTERN.test(channel)) invalidChannel(channel);
    const { rotator, maintenance } = channelRotation(channel, this.options, {
      onError: (error) => this.reportError(error),
      count: (what) => {
        this.counters[what]++;
      },
    });
    const file = new ChannelFile({
      rotator,
      path: join(this.options.directory, `${channel}.jsonl`),
      directory: this.options.directory,
      fileMode: this.options.fileMode,
      bufferBytes: this.options.bufferBytes,
      maxEventBytes: this.options.maxEventBytes,
      onWritten: (events) => {
        this.counters.written += events;
      },
      onDropped: (events, error) => this.reportDropped(events, error),
      handles: this.handles,
      scratch: this.scratch,
    });
    const logger = channelLogger(channel, file);
    const state = { logger, file, byEvent: new Map<string, Logger>(), maintenance };
    // Segments left by earlier runs (and a dead process's temp files) are seen to at once.
    maintenance?.schedule(0);
    this.channels.set(channel, state);
    return state;
  }

  private checkEventName(event: string): void {
    if (this.eventNames.has(event)) return;
    // Only a string reaches zod: it would read properties of an object, which may throw.
    const result = typeof event === "string" ? eventNameSchema.safeParse(event) : undefined;
    if (result?.success !== true) {
      invalidEvent(event, result?.error.issues[0]?.message ?? "event name must be a string");
    }
    if (this.eventNames.size >= MAX_CACHED_EVENT_NAMES) this.eventNames.clear();
    this.eventNames.add(event);
  }

  private scheduleFlush(): void {
    if (this.timer !== undefined || this.options.flushIntervalMs === 0) return;
    // Longer than a timer takes, it would fire after 1 ms, with a warning each time.
    const delay = Math.min(this.options.flushIntervalMs, MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushSync();
    }, delay);
    // The timer must not keep the host process alive; the exit hook writes what is left.
    this.timer.unref();
  }

  private reportDropped(events: number, error: TelemetryError): void {
    this.counters.dropped += events;
    this.reportError(error);
  }

  private reportError(error: TelemetryError): void {
    this.failures.report(error);
  }
}
