import { CanonicalScanner } from "../../schema/canonical-scanner.js";
import type { TelemetryEvent } from "../../schema/index.js";
import {
  type Diagnostic,
  type DiagnosticCode,
  EXAMPLES_PER_CODE,
  SAMPLE_DIAGNOSTICS,
} from "../model/diagnostics.js";
import { compileFilters } from "../model/filters.js";
import type { LineOutcome } from "./classify-line.js";
import { LineSplitter } from "./line-splitter.js";
import { readSegment } from "./read-segment.js";
import type { SegmentResult, SegmentTask } from "./segment.js";
import { SegmentEvents } from "./segment-events.js";

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
  spare?: ArrayBuffer,
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
  spare: ArrayBuffer | undefined,
): Promise<SegmentResult> {
  const need = (): Classifier => {
    if (loaded === undefined) throw NEED_CLASSIFIER;
    return loaded;
  };
  const { segment, want, maxLineBytes } = task;
  const out = new SegmentEvents(task, compileFilters(task.filters), spare);
  const diagnostics: Diagnostic[] = [];
  const byCode: Partial<Record<DiagnosticCode, number>> = {};
  const tally = { lines: 0, invalid: 0, blank: 0, warnings: 0 };
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
    if (!out.addParsed(event)) return;
    hooks.event?.(event);
  };

  // A canonical line (what the Tracker writes) is counted and passed through from its bytes,
  // never decoded or parsed. Not when each event object is wanted (hooks).
  const scanner = hooks.event === undefined ? new CanonicalScanner() : undefined;
  const splitter = new LineSplitter(maxLineBytes, {
    utf8: (buf, start, end) => {
      if (scanner === undefined || end - start > maxLineBytes) return false;
      const head = scanner.scan(buf, start, end);
      if (head === undefined) return false;
      tally.lines++;
      out.addCanonical(head, scanner, buf, start, end);
      return true;
    },
    text: (line, n, terminated) =>
      onOutcome(need().classifyText(line, terminated, fileStart && n === 1, maxLineBytes), n),
    bytes: (line, n, terminated) =>
      onOutcome(need().classifyBytes(line, terminated, fileStart && n === 1, maxLineBytes), n),
    tooLong: (n, bytes) => onOutcome(need().tooLongOutcome(bytes, maxLineBytes), n),
  });

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
  out.finish();
  const { counts, text, columns } = out;
  const result: SegmentResult = {
    index: segment.index,
    fileIndex: segment.fileIndex,
    start: segment.start,
    bytes: segment.end - segment.start,
    ...tally,
    valid: out.valid,
    filtered: out.filtered,
    first: out.range.first,
    last: out.range.last,
    diagnostics,
    byCode,
    events: out.valid,
    ...(counts === undefined ? {} : { counts: counts.entries(), versions: [...counts.versions] }),
    // Encoded here, in the worker, so the main thread only writes; the bytes are transferred.
    ...(text === undefined ? {} : { text: text.done() }),
    ...(columns === undefined ? {} : { columns: columns.done() }),
    ...(error === undefined ? {} : { error }),
  };
  return result;
}
