import type { Diagnostic } from "../model/diagnostics.js";
import { identifyFile, identifyOpenFile } from "../plan/file-identity.js";
import { VANISHED } from "../plan/follow-listed.js";
import type { PlannedFile } from "../plan/plan-segments.js";
import type { SegmentResult } from "./segment.js";

/**
 * Why a file read by an incremental run is no longer the file the run identified and planned,
 * checked once its last segment is read: another file at its path, other first bytes, or fewer
 * bytes than were planned (cut short and written again in place, as `cp` onto it does). Then what
 * was read cannot be trusted to be what a checkpoint would claim. Undefined: unchanged, or not
 * identified (a run that keeps no checkpoint). Read through `fd` (a descriptor of the file
 * identified), the file is checked through it: renamed meanwhile, it was still read whole, and
 * the next run finds it under its new name.
 */
export function changedWhileRead(file: PlannedFile, fd?: number): string | undefined {
  const planned = file.identity;
  if (planned === undefined) return undefined;
  const now =
    fd === undefined
      ? identifyFile(file.path, planned.head_bytes)
      : identifyOpenFile(fd, planned.head_bytes);
  if (now === undefined) return "vanished while it was read";
  if (now.dev !== planned.dev || now.ino !== planned.ino) {
    return "was replaced by another file while it was read";
  }
  if (now.size < file.bytes) {
    return `shrank while it was read (${now.size} bytes, ${file.bytes} were planned)`;
  }
  if (now.head_bytes !== planned.head_bytes || now.head_sha256 !== planned.head_sha256) {
    return "was rewritten while it was read (its first bytes changed)";
  }
  return undefined;
}

/** The result, with the file's change as its read error (an `unreadable_file` diagnostic). */
export function withChange(result: SegmentResult, file: PlannedFile, why: string): SegmentResult {
  const diagnostic: Diagnostic = {
    file: file.path,
    line: 0,
    code: "unreadable_file",
    severity: "error",
    message: why,
  };
  return {
    ...result,
    diagnostics: [...result.diagnostics, diagnostic],
    byCode: { ...result.byCode, unreadable_file: (result.byCode.unreadable_file ?? 0) + 1 },
    error: { code: "unreadable_file", message: why },
  };
}

/**
 * The result of a file identified and then deleted before it was planned or opened, which its
 * `vanished_file` warning already names. An identified file (a run that keeps a checkpoint) is
 * marked not read to its end, with no second diagnostic: a checkpoint must not claim the bytes
 * the plan counted.
 */
export function unreadGone(result: SegmentResult, file: PlannedFile): SegmentResult {
  if (file.identity === undefined) return result;
  return { ...result, error: { code: "unreadable_file", message: VANISHED } };
}
