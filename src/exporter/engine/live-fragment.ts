import { fstatSync, statSync } from "node:fs";
import type { ReadClock } from "../contracts.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { PlannedFile } from "../plan/plan-segments.js";
import type { SegmentResult } from "./segment.js";

/**
 * How long after its last change a file may still be in the middle of a write. A write(2) of a
 * 64 KiB buffer lands in microseconds; a file whose last change is older than this and that
 * did not grow while it was read has stopped changing.
 */
export const SETTLE_MS = 250;

// Through `fd` when the file is read through one: renamed since it was planned, its path names
// another file (the new live file).
function grew(file: PlannedFile, fd: number | undefined): boolean {
  let size: number | undefined;
  try {
    size =
      fd === undefined ? statSync(file.path, { throwIfNoEntry: false })?.size : fstatSync(fd).size;
  } catch {
    size = undefined;
  }
  return size !== undefined && size > file.bytes;
}

function pendingLine(file: PlannedFile, result: SegmentResult): Diagnostic {
  return {
    file: file.path,
    line: 0,
    code: "pending_line",
    severity: "warning",
    message: `its last ${result.bytes} bytes are a line still being written; read next time`,
  };
}

// The fragment left out: no line, no event, one warning.
function pending(file: PlannedFile, result: SegmentResult): SegmentResult {
  const diagnostic = pendingLine(file, result);
  return {
    index: result.index,
    fileIndex: result.fileIndex,
    start: result.start,
    bytes: result.bytes,
    lines: 0,
    valid: 0,
    invalid: 0,
    blank: 0,
    filtered: 0,
    warnings: 0,
    first: null,
    last: null,
    diagnostics: [diagnostic],
    byCode: { pending_line: 1 },
    events: 0,
  };
}

/**
 * A file's final fragment (its bytes after the last "\n") is pending, not torn, when the file
 * is still being written: it grew while this run read it, or it grows within {@link SETTLE_MS}
 * of its last change. A pending fragment is left out (a warning, never an error) and read by a
 * later run once its line is complete; any other fragment is read as it is (a torn line is
 * `truncated_line`). Results that are not a fragment pass unchanged.
 */
export async function settleFragment(
  result: SegmentResult,
  file: PlannedFile | undefined,
  clock: ReadClock,
  fd?: number,
): Promise<SegmentResult> {
  if (file?.fragmentFrom === undefined || result.start !== file.fragmentFrom) return result;
  if (grew(file, fd)) return pending(file, result);
  // A change dated after now (the clock stepped back since, or a copy kept a faster host's
  // time) says nothing of how long ago it was: as if just now, so the wait is never longer.
  const age = Math.max(0, clock.now() - (file.mtimeMs ?? 0));
  if (age >= SETTLE_MS) return result;
  await clock.sleep(SETTLE_MS - age);
  return grew(file, fd) ? pending(file, result) : result;
}
