import type { ResolvedInputs } from "../resolve-inputs.js";
import type { EtlState, FileState } from "./etl-state.js";
import { type FileIdentity, identifyFile } from "./file-identity.js";

/** Where each input file resumes, or why the state cannot be continued. */
export type StateMatch =
  | {
      readonly ok: true;
      readonly saved: ReadonlyMap<string, FileState>;
      readonly identities: ReadonlyMap<string, FileIdentity>;
    }
  | { readonly ok: false; readonly reason: string };

/** Identifies every input file now, before any is read, so a later change cannot slip in. */
export function identifyInputs(files: readonly string[]): Map<string, FileIdentity> {
  const identities = new Map<string, FileIdentity>();
  for (const path of files) {
    const identity = identifyFile(path);
    if (identity !== undefined) identities.set(path, identity);
  }
  return identities;
}

function changed(saved: FileState, now: FileIdentity | undefined): string | undefined {
  if (now === undefined) return "cannot be read";
  if (now.dev !== saved.identity.dev || now.ino !== saved.identity.ino) return "was replaced";
  if (saved.path.endsWith(".gz")) {
    const same = now.size === saved.identity.size && now.mtime_ms === saved.identity.mtime_ms;
    return same ? undefined : "changed (a .gz file is re-read whole)";
  }
  if (now.size < saved.offset) return "shrank";
  const head = identifyFile(saved.path, saved.identity.head_bytes);
  if (head?.head_sha256 !== saved.identity.head_sha256) return "was rewritten";
  return undefined;
}

/**
 * Checks the state against the inputs and the events output as they are now: every file read
 * before must still be there, the same file (device, inode, first bytes), and no shorter; the
 * events output must be the one the state describes. New files are fine.
 */
export function matchState(
  state: EtlState,
  resolved: ResolvedInputs,
  eventsPath: string,
): StateMatch {
  const output = identifyFile(eventsPath, 0);
  const recorded = state.events_output.identity;
  if (
    output === undefined ||
    output.dev !== recorded.dev ||
    output.ino !== recorded.ino ||
    output.size !== recorded.size ||
    output.mtime_ms !== recorded.mtime_ms
  ) {
    return { ok: false, reason: `${eventsPath} changed since the last run` };
  }
  const current = new Set(resolved.files);
  const identities = identifyInputs(resolved.files);
  const saved = new Map<string, FileState>();
  for (const file of state.files) {
    if (!current.has(file.path)) return { ok: false, reason: `${file.path} is gone` };
    const why = changed(file, identities.get(file.path));
    if (why !== undefined) return { ok: false, reason: `${file.path} ${why}` };
    saved.set(file.path, file);
  }
  return { ok: true, saved, identities };
}
