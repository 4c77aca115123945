import { readSync } from "node:fs";
import { type FileIdentity, HEAD_BYTES } from "./file-identity.js";
import { readOpenFile } from "./read-open-file.js";

// An archived file is one retention deleted after it was read to its end: its events are in the
// outputs. Put back (from a backup, an undone deletion, a copy from another host), it looked like
// a new file, and its events were exported a second time. A file whose first bytes are an
// archived file's, and that holds at least what was read of it with a line starting there, is
// that file back: it continues from its mark, as a rotated file continues under its new name.
// Matched on the first 4 KiB, which a Tracker's lines (each with its timestamp) make unique to
// one file's content; archived files smaller than that, and those folded (their marks are not
// kept), are not matched, and a copy cut shorter than what was read is read as new.

const NEWLINE = 0x0a;

/** What a state remembers of an archived file (a match-state ReadMark, or any record like it). */
interface ReadMark {
  readonly path: string;
  readonly offset: number;
  readonly identity: {
    readonly size: number;
    readonly head_bytes: number;
    readonly head_sha256: string;
  };
}

function lineStartsAt(path: string, offset: number): boolean {
  if (offset === 0) return true;
  return (
    readOpenFile(path, (fd) => {
      const byte = Buffer.alloc(1);
      return readSync(fd, byte, 0, 1, offset - 1) === 1 && byte[0] === NEWLINE;
    }) === true
  );
}

// Two archived files can share their first 4 KiB (a copy read beside its original, which then
// grew): the mark claimed is the one of the file's size (the same file put back whole), or else
// the one read furthest that it holds. Keyed by head alone, the last such mark won, and the
// longer file continued from the shorter one's mark (its later lines exported twice), or the
// shorter one, failing the longer mark, was read whole again.
function pick<Mark extends ReadMark>(
  marks: readonly Mark[],
  path: string,
  size: number,
  taken: ReadonlySet<Mark>,
): Mark | undefined {
  const fits = marks
    .filter((m) => !taken.has(m) && m.offset <= size && lineStartsAt(path, m.offset))
    .sort((a, b) => b.offset - a.offset);
  return fits.find((m) => m.identity.size === size) ?? fits[0];
}

/**
 * The archived marks whose files are back among `candidates` (plain files no mark claimed), each
 * with the path it is back under; and the marks still archived.
 */
export function claimRestored<Mark extends ReadMark>(
  archived: readonly Mark[],
  candidates: readonly string[],
  identities: ReadonlyMap<string, FileIdentity>,
): { restored: Map<string, Mark>; archived: Mark[] } {
  const restored = new Map<string, Mark>();
  const byHead = new Map<string, Mark[]>();
  for (const mark of archived) {
    if (mark.identity.head_bytes === HEAD_BYTES && !mark.path.endsWith(".gz")) {
      const same = byHead.get(mark.identity.head_sha256);
      if (same === undefined) byHead.set(mark.identity.head_sha256, [mark]);
      else same.push(mark);
    }
  }
  if (byHead.size === 0) return { restored, archived: [...archived] };
  const taken = new Set<Mark>();
  for (const path of candidates) {
    const now = identities.get(path);
    if (path.endsWith(".gz") || now === undefined || now.head_bytes !== HEAD_BYTES) continue;
    const same = byHead.get(now.head_sha256);
    const mark = same === undefined ? undefined : pick(same, path, now.size, taken);
    if (mark === undefined) continue;
    taken.add(mark);
    restored.set(path, { ...mark, path });
  }
  return { restored, archived: archived.filter((m) => !taken.has(m)) };
}
