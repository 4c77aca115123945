import type { CanonicalScanner } from "../../schema/canonical-scanner.js";
import type { LineHeads } from "../../schema/line-heads.js";
import { type LooseCompose, LooseLineScanner } from "../../schema/loose-line-scanner.js";
import type { LineOutcomes } from "./line-outcomes.js";
import type { LineSink } from "./line-splitter.js";
import type { SegmentEvents } from "./segment-events.js";

/** What classifies the lines the scanners do not take (loaded on the first such line). */
export interface LineClassifier {
  classifyText: typeof import("./classify-line.js").classifyText;
  classifyBytes: typeof import("./classify-line.js").classifyBytes;
  tooLongOutcome: typeof import("./classify-line.js").tooLongOutcome;
}

/**
 * Where a segment's lines go (see processSegment): a canonical line (what the Tracker writes) is
 * counted and passed through from its bytes, never decoded or parsed; so is the common line of
 * other producers (spaces, any key order, zone offsets), from the canonical text the loose
 * scanner writes for it; any other line goes to the classifier. A class, not closures made for
 * each segment: the line splitter calls the same functions for every segment of a thread, so V8
 * keeps the code it inlined them into (a new closure each segment threw it away once a thread).
 */
export class SegmentLines implements LineSink {
  // Made on the first line the canonical scanner does not take (the Tracker's files have none).
  private loose: LooseLineScanner | undefined = undefined;

  constructor(
    private readonly scanner: CanonicalScanner | undefined,
    private readonly heads: LineHeads,
    private readonly compose: LooseCompose,
    private readonly out: SegmentEvents,
    private readonly outcomes: LineOutcomes,
    private readonly maxLineBytes: number,
    private readonly classifier: () => LineClassifier,
    private readonly fileStart: boolean,
    private readonly exact: boolean,
  ) {}

  utf8(buf: Uint8Array, start: number, end: number): boolean {
    const scanner = this.scanner;
    if (scanner === undefined || end - start > this.maxLineBytes) return false;
    const head = scanner.scan(buf, start, end);
    if (head !== undefined) {
      this.outcomes.lines++;
      this.out.addCanonical(head, scanner, buf, start, end);
      return true;
    }
    this.loose ??= new LooseLineScanner(this.heads, this.compose);
    const loose = this.loose;
    const other = loose.scan(buf, start, end);
    if (other === undefined) return false;
    this.outcomes.lines++;
    if (this.compose === "text") this.out.addComposed(other, loose);
    else this.out.addCanonical(other, loose, loose.line, 0, loose.lineEnd, loose.extra);
    return true;
  }

  text(line: string, n: number, terminated: boolean): void {
    const first = this.fileStart && n === 1;
    const outcome = this.classifier().classifyText(
      line,
      terminated,
      first,
      this.maxLineBytes,
      this.exact,
    );
    this.outcomes.add(outcome, n);
  }

  bytes(line: Buffer, n: number, terminated: boolean): void {
    const first = this.fileStart && n === 1;
    const outcome = this.classifier().classifyBytes(
      line,
      terminated,
      first,
      this.maxLineBytes,
      this.exact,
    );
    this.outcomes.add(outcome, n);
  }

  tooLong(n: number, bytes: number): void {
    this.outcomes.add(this.classifier().tooLongOutcome(bytes, this.maxLineBytes), n);
  }
}
