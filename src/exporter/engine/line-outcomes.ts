import type { TelemetryEvent } from "../../schema/index.js";
import {
  type Diagnostic,
  type DiagnosticCode,
  EXAMPLES_PER_CODE,
  SAMPLE_DIAGNOSTICS,
} from "../model/diagnostics.js";
import type { LineOutcome } from "./classify-line.js";
import type { SegmentEvents } from "./segment-events.js";

/**
 * What one segment's lines came to, line by line: line counts, the diagnostics kept in detail and
 * every diagnostic counted by code. Valid events go on to the segment's outputs.
 */
export class LineOutcomes {
  lines = 0;
  invalid = 0;
  blank = 0;
  warnings = 0;
  readonly diagnostics: Diagnostic[] = [];
  readonly byCode: Partial<Record<DiagnosticCode, number>> = {};

  constructor(
    private readonly path: string,
    private readonly allDiagnostics: boolean,
    private readonly out: SegmentEvents,
    private readonly onEvent: ((event: TelemetryEvent) => void) | undefined,
  ) {}

  /** Counts a diagnostic, and keeps it when wanted or among the first few. */
  report(d: Diagnostic): void {
    const seen = (this.byCode[d.code] ?? 0) + 1;
    this.byCode[d.code] = seen;
    // The merged log keeps the first few of every code, so each segment must keep them too.
    if (
      this.allDiagnostics ||
      this.diagnostics.length < SAMPLE_DIAGNOSTICS ||
      seen <= EXAMPLES_PER_CODE
    ) {
      this.diagnostics.push(d);
    }
  }

  /** Adds the outcome of a line the classifier read (line `line` of the segment). */
  add(outcome: LineOutcome, line: number): void {
    this.lines++;
    if (outcome.kind === "blank") {
      this.blank++;
      return;
    }
    if (outcome.kind === "invalid") {
      this.invalid++;
      const { code, message, path, excerpt } = outcome;
      const d: Diagnostic = { file: this.path, line, code, severity: "error", message, excerpt };
      this.report(path === undefined ? d : { ...d, path });
      return;
    }
    const event = outcome.event;
    for (const w of outcome.warnings) {
      this.warnings++;
      this.report({
        file: this.path,
        line,
        code: w.code,
        severity: "warning",
        message: w.message,
        path: w.path,
      });
    }
    if (!this.out.addParsed(event)) return;
    this.onEvent?.(event);
  }
}
