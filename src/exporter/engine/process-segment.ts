import { CanonicalScanner } from "../../schema/canonical-scanner.js";
import type { TelemetryEvent } from "../../schema/index.js";
import { LineHeads } from "../../schema/line-heads.js";
import type { LooseCompose } from "../../schema/loose-line-scanner.js";
import { compileFilters } from "../model/filters.js";
import { LineOutcomes } from "./line-outcomes.js";
import { LineSplitter } from "./line-splitter.js";
import { readSegment } from "./read-segment.js";
import type { SegmentResult, SegmentTask } from "./segment.js";
import { SegmentEvents } from "./segment-events.js";
import { SegmentLines } from "./segment-lines.js";

/** Hooks for in-thread use: every valid event, and a pause after each chunk. */
export interface SegmentHooks {
  readonly event?: (event: TelemetryEvent) => void;
  readonly chunkDone?: () => Promise<void> | void;
}

type Classifier = typeof import("./classify-line.js");

// The parser and validators (zod among them) are loaded on the first line that needs them:
// input the Tracker wrote is all canonical lines, which the scanner reads without them.
let classifier: Classifier | undefined;

// Thrown when a line needs the classifier before it is loaded; the segment is then read again.
const NEED_CLASSIFIER = Symbol("need classifier");

async function loadClassifier(): Promise<Classifier> {
  if (classifier === undefined) classifier = await import("./classify-line.js");
  return classifier;
}

/**
 * Reads one segment and classifies every line; the same code runs in worker threads and in the
 * main thread, so parallel and sequential runs agree by construction. `spare`: memory for the
 * text output, from an earlier segment's text that was written.
 */
export async function processSegment(
  task: SegmentTask,
  hooks: SegmentHooks = {},
  spare?: ArrayBufferLike,
): Promise<SegmentResult> {
  // Hooks receive parsed events, so such runs use the parser from the start.
  if (hooks.event !== undefined) await loadClassifier();
  try {
    return await readOnce(task, hooks, classifier, spare);
  } catch (error) {
    if (error !== NEED_CLASSIFIER) throw error;
    // Reading a segment has no effect outside its result, so it can simply start over.
    return readOnce(task, hooks, await loadClassifier(), spare);
  }
}

async function readOnce(
  task: SegmentTask,
  hooks: SegmentHooks,
  loaded: Classifier | undefined,
  spare: ArrayBufferLike | undefined,
): Promise<SegmentResult> {
  const need = (): Classifier => {
    if (loaded === undefined) throw NEED_CLASSIFIER;
    return loaded;
  };
  const { segment, want, maxLineBytes } = task;
  // Exact number texts matter only to what is written out (the hooks' events are JS values).
  const exact = want.text !== undefined || want.columns;
  // Columns keep the payload apart from the other fields: its canonical text alone is enough.
  // Text alone: the loose scanner writes each line straight into the text output.
  const compose: LooseCompose =
    want.text !== undefined ? (want.columns ? "line" : "text") : want.columns ? "payload" : "none";
  const out = new SegmentEvents(task, compileFilters(task.filters), spare);
  const outcomes = new LineOutcomes(segment.path, want.allDiagnostics, out, hooks.event);
  const fileStart = segment.start === 0 && (segment.skip ?? 0) === 0;

  const heads = new LineHeads();
  // Not when each event object is wanted (hooks): those lines go to the parser.
  const scanner = hooks.event === undefined ? new CanonicalScanner(heads, exact) : undefined;
  const lines = new SegmentLines(
    scanner,
    heads,
    compose,
    out,
    outcomes,
    maxLineBytes,
    need,
    fileStart,
    exact,
  );
  const splitter = new LineSplitter(maxLineBytes, lines);

  let error: SegmentResult["error"];
  let bytes = 0;
  if (segment.vanished !== undefined) {
    outcomes.report({
      file: segment.path,
      line: 0,
      code: "vanished_file",
      severity: "warning",
      message: segment.vanished,
    });
  } else if (segment.unreadable !== undefined) {
    error = { code: "unreadable_file", message: segment.unreadable };
  } else {
    const end = await readSegment(
      segment,
      (chunk) => {
        splitter.push(chunk);
        return hooks.chunkDone?.();
      },
      task.fd,
    );
    bytes = end.bytes;
    if (end.ok) splitter.end();
    else error = { code: end.code, message: end.message };
  }
  if (error !== undefined) {
    outcomes.report({
      file: segment.path,
      line: segment.unreadable === undefined ? splitter.lines + 1 : 0,
      code: error.code,
      severity: "error",
      message: error.message,
    });
  }
  out.finish();
  return segmentResult(task, outcomes, out, error, bytes);
}

function segmentResult(
  { segment }: SegmentTask,
  outcomes: LineOutcomes,
  out: SegmentEvents,
  error: SegmentResult["error"],
  bytes: number,
): SegmentResult {
  const { counts, text, columns } = out;
  const { lines, invalid, blank, warnings, diagnostics, byCode } = outcomes;
  return {
    index: segment.index,
    fileIndex: segment.fileIndex,
    start: segment.start,
    // What was really read: less than planned when the file was cut short meanwhile.
    bytes,
    lines,
    invalid,
    blank,
    warnings,
    valid: out.valid,
    filtered: out.filtered,
    first: out.range.first,
    last: out.range.last,
    diagnostics,
    byCode,
    events: out.valid,
    ...(counts === undefined ? {} : { counts: counts.pack(), versions: [...counts.versions] }),
    // Encoded here, in the worker, so the main thread only writes; the bytes are shared memory.
    ...(text === undefined ? {} : { text: text.done() }),
    ...(columns === undefined ? {} : { columns: columns.done() }),
    ...(error === undefined ? {} : { error }),
  };
}
