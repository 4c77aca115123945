import type { FileIdentity } from "../plan/file-identity.js";
import { VANISHED } from "../plan/follow-listed.js";
import type { ReadMark } from "../plan/match-state.js";
import type { PlannedFile } from "../plan/plan-segments.js";

/**
 * Where the next run continues each planned file, or the first file not read to its end and why
 * (the state of the run before then stays, as a killed run leaves it). `errors` holds each file's
 * read error, `saved` the marks this run continued, `unidentified` the files with a mark that
 * could not be opened to be identified, `mark` makes the mark of a file read now.
 *
 * Two kinds of file are not read at all, and keep the mark they had: one deleted by retention
 * after the run planned it, before it was opened (the next run archives it, its events kept;
 * new, it is left out, as one deleted before it was identified; its `vanished_file` warning named
 * the loss, once), and one with a mark that could not be opened to be identified (a moment's
 * EMFILE, a permission; its error says the next run reads it from its mark). Taken for files not
 * read to their end, they kept every run under rotation and retention faster than the runs from
 * saving a state, and the events those runs wrote were taken back by the next run and lost when
 * their files went first (an adversary's test: most events of three busy writers).
 */
export function nextMarks<Mark extends ReadMark>(
  planned: readonly PlannedFile[],
  errors: readonly (string | undefined)[],
  identities: ReadonlyMap<string, FileIdentity>,
  saved: ReadonlyMap<string, Mark>,
  unidentified: ReadonlySet<string>,
  mark: (file: PlannedFile, index: number, identity: FileIdentity) => Mark,
): { readonly marks: Mark[] } | { readonly unread: { path: string; why: string } } {
  const marks: Mark[] = [];
  for (const [i, file] of planned.entries()) {
    // Listed, then deleted before it was identified (retention): nothing of it was read.
    if (file.vanished !== undefined) continue;
    const identity = identities.get(file.path);
    if ((errors[i] === VANISHED && identity !== undefined) || unidentified.has(file.path)) {
      const before = saved.get(file.path);
      if (before !== undefined) marks.push(asSaved(before, identity));
      continue;
    }
    // Not read to its end, or not identified, so not to be continued (saved, a later run would
    // trust a partial read; removed, the next run was a full one that dropped every archived
    // file's events without naming them).
    const error = errors[i];
    if (error !== undefined || identity === undefined) {
      return { unread: { path: file.path, why: error ?? NOT_IDENTIFIED } };
    }
    const next = mark(file, i, identity);
    // A state keeps a .gz only as read whole, under the identity it was read by: one that ends
    // elsewhere was not the file identified (another took its name), and saved, the state was
    // inconsistent, the next run a full one that dropped every archived file's events.
    if (next.path.endsWith(".gz") && next.offset !== next.identity.size) {
      return { unread: { path: file.path, why: NOT_THE_GZIP } };
    }
    marks.push(next);
  }
  return { marks };
}

const NOT_IDENTIFIED = "it could not be identified when the run began";
const NOT_THE_GZIP = "another file took its name while it was read";

// A mark as a state keeps it. A .gz's mark, continued from a plain file compressed since it was
// read, holds the plain file's identity and where its reading stopped (the run passes over the
// bytes read before); a state keeps a .gz only as read whole, under its own identity. Kept as it
// was, the state was inconsistent ("a .gz offset mid-file"), and the next run a full one that
// dropped every archived file's events (an adversary's find). Deleted before it was opened, the
// .gz is read whole as far as any run can: what it held past the mark is lost, and its warning
// said so.
function asSaved<Mark extends ReadMark>(mark: Mark, identity: FileIdentity | undefined): Mark {
  if (!mark.path.endsWith(".gz") || identity === undefined) return mark;
  return { ...mark, identity, offset: identity.size };
}
