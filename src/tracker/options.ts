import { isMainThread } from "node:worker_threads";
import type { z } from "zod";
import type { TelemetryError } from "../errors/index.js";
import { MAX_PAYLOAD_DEPTH } from "../schema/index.js";
import { CATALOG_UNKNOWN_KEYS, type CatalogUnknownKeys } from "./catalog-check.js";
import { defaultMaxOpenFiles } from "./descriptor-limit.js";
import { DEFAULT_MAX_OPEN_FILES } from "./handle-pool.js";
import { integerOption, invalid, rejectUnknownKeys } from "./option-errors.js";
import { type ResolvedRotation, type RotateOptions, resolveRotation } from "./rotation-options.js";

/** A payload schema per event name, per channel: gives `record()` types and runtime checks. */
export type Catalog = {
  readonly [channel: string]: { readonly [event: string]: z.ZodType<Record<string, unknown>> };
};

/** Options of `new Tracker(options)`; every one is optional. */
export interface TrackerOptions<C extends Catalog | undefined = undefined> {
  /** Directory holding `<channel>.jsonl` files; created when missing. Default `"reports/telemetry"`. */
  readonly directory?: string;
  /** Milliseconds since the epoch, used for events recorded without a timestamp. Default `Date.now`. */
  readonly clock?: () => number;
  /** Largest serialized event, in bytes without the newline; larger ones throw `event_too_large`. Default 1 MiB. */
  readonly maxEventBytes?: number;
  /**
   * Buffered characters per channel before a synchronous write; 0 writes each event at once.
   * Default 65536, and 0 inside a worker thread: `worker.terminate()` and the main thread's
   * `process.exit()` stop a worker with no chance to flush.
   */
  readonly bufferBytes?: number;
  /** Longest time a buffered event waits before it is written, in ms; 0 disables the timer. Default 100. */
  readonly flushIntervalMs?: number;
  /** Mode of new channel files. Default `0o644`; `0o600` keeps them private. */
  readonly fileMode?: number;
  /** Deepest nesting of payload objects and arrays accepted (at most 256, the exporter's limit). Default 256. */
  readonly maxDepth?: number;
  /** Payload key names removed at any depth (masked instead when `redactCensor` is set). Default none. */
  readonly redact?: readonly string[];
  /** Replacement value for redacted keys. Default: the keys are removed. */
  readonly redactCensor?: string;
  /** Called with every I/O failure; never throws into `record()`. Default: the first failure becomes a process warning. */
  readonly onError?: (error: TelemetryError) => void;
  /**
   * Flush on SIGTERM, SIGINT and SIGHUP, then re-raise the signal when nothing else handles it (with an
   * application handler, the application decides). `false` installs no handler. Default `true`.
   */
  readonly handleSignals?: boolean;
  /** Channel files kept open at once; the least recently written is closed beyond it. Default 64. */
  readonly maxOpenFiles?: number;
  /** Typed catalogue of channels, events and payload schemas. Default: any valid channel and event. */
  readonly catalog?: C;
  /**
   * Payload keys a catalogue schema does not declare (which zod's `z.object` strips): `"reject"`
   * throws `invalid_payload`; `"strip"` drops them. Default `"reject"`.
   */
  readonly catalogUnknownKeys?: CatalogUnknownKeys;
  /** Rotation of channel files by size and/or UTC day or hour, with compression and retention. Default: off. */
  readonly rotate?: RotateOptions;
}

/** Options with every default applied. */
export interface ResolvedTrackerOptions {
  readonly directory: string;
  readonly clock: () => number;
  readonly maxEventBytes: number;
  readonly bufferBytes: number;
  readonly flushIntervalMs: number;
  readonly fileMode: number;
  readonly maxDepth: number;
  readonly redact: ReadonlySet<string> | undefined;
  readonly redactCensor: string | undefined;
  readonly onError: ((error: TelemetryError) => void) | undefined;
  readonly handleSignals: boolean;
  readonly maxOpenFiles: number;
  readonly catalog: Catalog | undefined;
  readonly catalogUnknownKeys: CatalogUnknownKeys;
  readonly rotate: ResolvedRotation | undefined;
}

/** Default `maxEventBytes`: 1 MiB, the exporter's default `--max-line-bytes`. */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

function checkCatalog(catalog: unknown): void {
  const shape = "an object of channel -> event -> zod schema";
  if (typeof catalog !== "object" || catalog === null || Array.isArray(catalog)) {
    invalid("catalog", shape, catalog);
  }
  for (const [channel, events] of Object.entries(catalog)) {
    if (typeof events !== "object" || events === null) {
      invalid(["catalog", channel], "an object of event -> zod schema", events);
    }
    for (const [event, schema] of Object.entries(events)) {
      if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== "function") {
        invalid(["catalog", channel, event], "a zod schema", schema);
      }
    }
  }
}

/** Applies defaults and checks every option; throws `invalid_options` on a bad or unknown one. */
export function resolveTrackerOptions(options: TrackerOptions<Catalog | undefined>) {
  if (typeof options !== "object" || options === null) {
    invalid("options", "an object", options);
  }
  const { directory = "reports/telemetry", clock = Date.now, onError, catalog } = options;
  if (typeof directory !== "string" || directory === "" || directory.includes("\0")) {
    invalid("directory", "a non-empty path", directory);
  }
  if (typeof clock !== "function") {
    invalid("clock", "a function returning epoch milliseconds", clock);
  }
  if (onError !== undefined && typeof onError !== "function") {
    invalid("onError", "a function", onError);
  }
  if (catalog !== undefined) checkCatalog(catalog);
  const fileMode = integerOption("fileMode", options.fileMode, 0o644, 0);
  // Never more open than 0644: other users may read telemetry, but never write it.
  if ((fileMode & ~0o644) !== 0) {
    invalid("fileMode", "0o644 or stricter", fileMode, `0o${fileMode.toString(8)}`);
  }
  // The readers' limit by default: what the Tracker accepts, every reader reads.
  const maxDepth = integerOption("maxDepth", options.maxDepth, MAX_PAYLOAD_DEPTH, 1);
  // Readers refuse deeper payloads, so writing one would only create an unreadable line.
  if (maxDepth > MAX_PAYLOAD_DEPTH) invalid("maxDepth", `at most ${MAX_PAYLOAD_DEPTH}`, maxDepth);
  const redact = options.redact;
  if (
    redact !== undefined &&
    !(Array.isArray(redact) && redact.every((k) => typeof k === "string"))
  ) {
    invalid("redact", "an array of key names", redact);
  }
  if (options.handleSignals !== undefined && typeof options.handleSignals !== "boolean") {
    invalid("handleSignals", "a boolean", options.handleSignals);
  }
  if (options.redactCensor !== undefined && typeof options.redactCensor !== "string") {
    invalid("redactCensor", "a string", options.redactCensor);
  }
  const catalogUnknownKeys = options.catalogUnknownKeys ?? "reject";
  if (!CATALOG_UNKNOWN_KEYS.includes(catalogUnknownKeys)) {
    invalid("catalogUnknownKeys", `one of ${CATALOG_UNKNOWN_KEYS.join(", ")}`, catalogUnknownKeys);
  }
  const resolved: ResolvedTrackerOptions = {
    directory,
    clock,
    maxEventBytes: integerOption(
      "maxEventBytes",
      options.maxEventBytes,
      DEFAULT_MAX_EVENT_BYTES,
      64,
    ),
    bufferBytes: integerOption("bufferBytes", options.bufferBytes, isMainThread ? 64 * 1024 : 0, 0),
    flushIntervalMs: integerOption("flushIntervalMs", options.flushIntervalMs, 100, 0),
    fileMode,
    maxDepth,
    redact: redact === undefined || redact.length === 0 ? undefined : new Set(redact),
    redactCensor: options.redactCensor,
    onError,
    handleSignals: options.handleSignals ?? true,
    maxOpenFiles: integerOption(
      "maxOpenFiles",
      options.maxOpenFiles,
      // The process's limit is read only when the option is left out.
      options.maxOpenFiles === undefined ? defaultMaxOpenFiles() : DEFAULT_MAX_OPEN_FILES,
      1,
    ),
    catalog,
    catalogUnknownKeys,
    rotate: resolveRotation(options.rotate),
  };
  rejectUnknownKeys(options, Object.keys(resolved));
  return resolved;
}
