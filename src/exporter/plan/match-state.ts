import { type FileIdentity, identifyFile } from "./file-identity.js";
import type { ResolvedInputs } from "./resolve-inputs.js";

/** What a state remembers of one input file: who it was, and how far it was read. */
export interface ReadMark {
  readonly path: string;
  readonly identity: FileIdentity;
  /** Bytes read: the end of the file's last complete line. */
  readonly offset: number;
  /** Lines before `offset`. */
  readonly lines: number;
}

/** Who an output file is, as a state records it (no head hash: outputs are rewritten). */
export type OutputIdentity = Omit<FileIdentity, "head_bytes" | "head_sha256">;

/** Where each input file resumes, or why the state cannot be continued. */
export type StateMatch<Mark extends ReadMark = ReadMark> =
  | {
      readonly ok: true;
      readonly saved: ReadonlyMap<string, Mark>;
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

function changed(saved: ReadMark, now: FileIdentity | undefined): string | undefined {
  if (now === undefined) return "cannot be read";
  if (now.dev !== saved.identity.dev || now.ino !== saved.identity.ino) return "was replaced";
  if (saved.path.endsWith(".gz")) {
    const same = now.size === saved.identity.size && now.mtime_ms === saved.identity.mtime_ms;
    return same ? undefined : "changed (a .gz file is re-read whole)";
  }
  if (now.size < saved.offset) return "shrank";
  // Hashes compare only over the same length: re-read only when the file was shorter then.
  const head =
    now.head_bytes === saved.identity.head_bytes
      ? now
      : identifyFile(saved.path, saved.identity.head_bytes);
  if (head?.head_sha256 !== saved.identity.head_sha256) return "was rewritten";
  return undefined;
}

/**
 * Checks what a state remembers against the inputs as they are now: every file read before must
 * still be there, the same file (device, inode, first bytes), and no shorter. New files are fine.
 */
export function matchFiles<Mark extends ReadMark>(
  marks: readonly Mark[],
  resolved: ResolvedInputs,
): StateMatch<Mark> {
  const current = new Set(resolved.files);
  const identities = identifyInputs(resolved.files);
  const saved = new Map<string, Mark>();
  for (const file of marks) {
    if (!current.has(file.path)) return { ok: false, reason: `${file.path} is gone` };
    const why = changed(file, identities.get(file.path));
    if (why !== undefined) return { ok: false, reason: `${file.path} ${why}` };
    saved.set(file.path, file);
  }
  return { ok: true, saved, identities };
}

/** {@link matchFiles}, after checking that the events output is the one the state describes. */
export function matchState<Mark extends ReadMark>(
  state: {
    readonly events_output: { readonly identity: OutputIdentity };
    readonly files: readonly Mark[];
  },
  resolved: ResolvedInputs,
  eventsPath: string,
): StateMatch<Mark> {
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
  return matchFiles(state.files, resolved);
}
