import { type CanonicalLine, scanCanonicalLine } from "../../schema/canonical-line.js";
import { SCHEMA_VERSION_V1 } from "../../schema/constants.js";
import type { TelemetryEvent } from "../../schema/index.js";
import { compareTimestamps } from "../../schema/timestamp.js";
import type { LineOutcome } from "../classify-line.js";
import {
  type Diagnostic,
  type DiagnosticCode,
  EXAMPLES_PER_CODE,
  SAMPLE_DIAGNOSTICS,
} from "../diagnostics.js";
import { compileFilters } from "../filters.js";
import { LineSplitter, type RawLine } from "../line-splitter.js";
import { ColumnBuilder } from "./event-columns.js";
import { EventCounts } from "./event-counts.js";
import { readSegment } from "./read-segment.js";
import type { SegmentResult, SegmentTask } from "./segment.js";
import { TextOutput } from "./text-output.js";

/** Hooks for in-thread use: every valid event, and a pause after each chunk. */
export interface SegmentHooks {
  readonly event?: (event: TelemetryEvent) => void;
  readonly chunkDone?: () => Promise<void> | void;
}

type Classifier = typeof import("../classify-line.js");

// The parser and validators (zod among them) are loaded on the first line that needs them:
// input the Tracker wrote is all canonical lines, which the scanner reads without them.
let classifier: Classifier | undefined;

// Thrown when a line needs the classifier before it is loaded; the segment is then read again.
const NEED_CLASSIFIER = Symbol("need classifier");

async function loadClassifier(): Promise<Classifier> {
  if (classifier === undefined) classifier = await import("../classify-line.js");
  return classifier;
}

/**
 * Reads one segment and classifies every line; the same code runs in worker threads and in the
 * main thread, so parallel and sequential runs agree by construction.
 */
export async function processSegment(
  task: SegmentTask,
  hooks: SegmentHooks = {},
): Promise<SegmentResult> {
  // Hooks receive parsed events, so such runs use the parser from the start.
  if (hooks.event !== undefined) await loadClassifier();
  try {
    return await readOnce(task, hooks, classifier);
  } catch (error) {
    if (error !== NEED_CLASSIFIER) throw error;
    // Reading a segment has no effect outside its result, so it can simply start over.
    return readOnce(task, hooks, await loadClassifier());
  }
}

async function readOnce(
  task: SegmentTask,
  hooks: SegmentHooks,
  loaded: Classifier | undefined,
): Promise<SegmentResult> {
  const need = (): Classifier => {
    if (loaded === undefined) throw NEED_CLASSIFIER;
    return loaded;
  };
  const { segment, want, maxLineBytes } = task;
  const keep = compileFilters(task.filters);
  const counts = want.counts ? new EventCounts() : undefined;
  const columns = want.columns ? new ColumnBuilder(segment.end - segment.start) : undefined;
  const text =
    want.text === undefined ? undefined : new TextOutput(want.text, segment.end - segment.start);
  let events = 0;
  const diagnostics: Diagnostic[] = [];
  const byCode: Partial<Record<DiagnosticCode, number>> = {};
  const tally = { lines: 0, valid: 0, invalid: 0, blank: 0, filtered: 0, warnings: 0 };
  let first: string | null = null;
  let last: string | null = null;
  const fileStart = segment.start === 0;

  const report = (d: Diagnostic) => {
    const seen = (byCode[d.code] ?? 0) + 1;
    byCode[d.code] = seen;
    // The merged log keeps the first few of every code, so each segment must keep them too.
    if (
      want.allDiagnostics ||
      diagnostics.length < SAMPLE_DIAGNOSTICS ||
      seen <= EXAMPLES_PER_CODE
    ) {
      diagnostics.push(d);
    }
  };
  const onOutcome = (outcome: LineOutcome, line: number) => {
    tally.lines++;
    if (outcome.kind === "blank") {
      tally.blank++;
      return;
    }
    if (outcome.kind === "invalid") {
      tally.invalid++;
      const { code, message, path, excerpt } = outcome;
      const d: Diagnostic = { file: segment.path, line, code, severity: "error", message, excerpt };
      report(path === undefined ? d : { ...d, path });
      return;
    }
    const event = outcome.event;
    for (const w of outcome.warnings) {
      tally.warnings++;
      report({
        file: segment.path,
        line,
        code: w.code,
        severity: "warning",
        message: w.message,
        path: w.path,
      });
    }
    const kept = acceptValid(
      event,
      event.schema_version,
      columns === undefined ? undefined : JSON.stringify(event.payload),
    );
    if (!kept) return;
    text?.addText(JSON.stringify(event));
    hooks.event?.(event);
  };

  // Counts one valid event and adds its Parquet columns; false when a filter leaves it out.
  const acceptValid = (
    fields: { readonly channel: string; readonly event: string; readonly timestamp: string },
    version: string,
    payload: Parameters<ColumnBuilder["add"]>[4] | undefined,
  ): boolean => {
    if (keep !== undefined && !keep(fields as TelemetryEvent)) {
      tally.filtered++;
      return false;
    }
    tally.valid++;
    const ts = fields.timestamp;
    if (first === null || compareTimestamps(ts, first) < 0) first = ts;
    if (last === null || compareTimestamps(ts, last) > 0) last = ts;
    counts?.addFields(version, fields.channel, fields.event, ts);
    if (payload !== undefined) columns?.add(version, fields.channel, fields.event, ts, payload);
    events++;
    return true;
  };

  // A canonical line (what the Tracker writes) is counted and passed through without parsing:
  // its bytes already are the export's text. Not when each event object is wanted (hooks).
  const payloadBytes: RawLine = { buffer: new Uint8Array(0), start: 0, end: 0 };
  // `raw` is tracked exactly when an output needs the bytes (text or columns).
  const onCanonical = (c: CanonicalLine, raw: RawLine | undefined): void => {
    tally.lines++;
    let payload: Parameters<ColumnBuilder["add"]>[4] | undefined;
    if (columns !== undefined && raw !== undefined) {
      // Everything before the payload is ASCII but the event name, so its UTF-8 length gives
      // the payload's byte offset; the payload ends just before the line's closing brace.
      const extra = Buffer.byteLength(c.event) - c.event.length;
      payloadBytes.buffer = raw.buffer;
      payloadBytes.start = raw.start + c.payloadStart + extra;
      payloadBytes.end = raw.end - 1;
      payload = payloadBytes;
    }
    if (acceptValid(c, SCHEMA_VERSION_V1, payload) && raw !== undefined) {
      text?.addBytes(raw.buffer, raw.start, raw.end);
    }
  };
  const scanFast = hooks.event === undefined;
  const fitsLimit = (line: string) =>
    line.length * 3 <= maxLineBytes || Buffer.byteLength(line) <= maxLineBytes;

  const trackBytes = text !== undefined || columns !== undefined;
  const splitter = new LineSplitter(
    maxLineBytes,
    {
      text: (line, n, terminated, raw) => {
        const c = scanFast && fitsLimit(line) ? scanCanonicalLine(line) : undefined;
        if (c !== undefined) onCanonical(c, raw);
        else
          onOutcome(need().classifyText(line, terminated, fileStart && n === 1, maxLineBytes), n);
      },
      bytes: (line, n, terminated) =>
        onOutcome(need().classifyBytes(line, terminated, fileStart && n === 1, maxLineBytes), n),
      tooLong: (n, bytes) => onOutcome(need().tooLongOutcome(bytes, maxLineBytes), n),
    },
    trackBytes,
  );

  let error: SegmentResult["error"];
  if (segment.unreadable !== undefined) {
    error = { code: "unreadable_file", message: segment.unreadable };
  } else {
    const end = await readSegment(segment, (chunk) => {
      splitter.push(chunk);
      return hooks.chunkDone?.();
    });
    if (end.ok) splitter.end();
    else error = { code: end.code, message: end.message };
  }
  if (error !== undefined) {
    report({
      file: segment.path,
      line: segment.unreadable === undefined ? splitter.lines + 1 : 0,
      code: error.code,
      severity: "error",
      message: error.message,
    });
  }
  const result: SegmentResult = {
    index: segment.index,
    fileIndex: segment.fileIndex,
    start: segment.start,
    bytes: segment.end - segment.start,
    ...tally,
    first,
    last,
    diagnostics,
    byCode,
    events,
    ...(counts === undefined ? {} : { counts: counts.entries(), versions: [...counts.versions] }),
    // Encoded here, in the worker, so the main thread only writes; the bytes are transferred.
    ...(text === undefined ? {} : { text: text.done() }),
    ...(columns === undefined ? {} : { columns: columns.done() }),
    ...(error === undefined ? {} : { error }),
  };
  return result;
}
