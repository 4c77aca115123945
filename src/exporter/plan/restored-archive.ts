import { readSync } from "node:fs";
import { type FileIdentity, HEAD_BYTES } from "./file-identity.js";
import { readOpenFile } from "./read-open-file.js";
import { type ArchivedMark, ShortArchives, ShortHits } from "./short-archives.js";

// An archived file is one retention deleted after it was read to its end: its events are in the
// outputs. Put back (from a backup, an undone deletion, a copy from another host), it looked like
// a new file, and its events were exported a second time. A file whose first bytes are an
// archived file's is that file back: it continues from its mark, as a rotated file continues
// under its new name. Matched on the first 4 KiB, which a Tracker's lines (each with its
// timestamp) make unique to one file's content, and a line starting where it was read to; or, for
// a file smaller than that, on its whole content (short-archives.ts). A copy cut shorter than
// what was read (a backup taken before the last lines were written) holds only events exported
// already: it continues at its own end, so lines written into it later are read, and nothing
// before them. Not matched: a compressed copy, and folded files (their marks are not kept).

const NEWLINE = 0x0a;

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
// shorter one, failing the longer mark, was read whole again. Holding less than any was read to,
// and ending at a line end, it is a copy cut short: the nearest mark, continued at its end.
function pick<Mark extends ArchivedMark>(
  marks: readonly Mark[],
  path: string,
  size: number,
  taken: ReadonlySet<Mark>,
): { mark: Mark; offset: number } | undefined {
  const open = marks.filter((m) => !taken.has(m));
  const fits = open
    .filter((m) => m.offset <= size && lineStartsAt(path, m.offset))
    .sort((a, b) => b.offset - a.offset);
  const whole = fits.find((m) => m.identity.size === size) ?? fits[0];
  if (whole !== undefined) return { mark: whole, offset: whole.offset };
  const [cut] = open.filter((m) => m.offset > size).sort((a, b) => a.offset - b.offset);
  return cut !== undefined && lineStartsAt(path, size) ? { mark: cut, offset: size } : undefined;
}

/**
 * The archived marks whose files are back among `candidates` (plain files no mark claimed), each
 * with the path it is back under (and, for a copy cut short, its end as offset); and the marks
 * still archived.
 */
export function claimRestored<Mark extends ArchivedMark>(
  archived: readonly Mark[],
  candidates: readonly string[],
  identities: ReadonlyMap<string, FileIdentity>,
): { restored: Map<string, Mark>; archived: Mark[] } {
  const restored = new Map<string, Mark>();
  const byHead = new Map<string, Mark[]>();
  const short = new ShortArchives<Mark>();
  for (const mark of archived) {
    if (mark.path.endsWith(".gz") || mark.offset === 0 || short.add(mark)) continue;
    if (mark.identity.head_bytes !== HEAD_BYTES) continue;
    const same = byHead.get(mark.identity.head_sha256);
    if (same === undefined) byHead.set(mark.identity.head_sha256, [mark]);
    else same.push(mark);
  }
  if (candidates.length === 0 || byHead.size + short.size === 0) {
    return { restored, archived: [...archived] };
  }
  const taken = new Set<Mark>();
  // Per short content: the candidates holding it (one only may be the file put back).
  const shortHits = new ShortHits<Mark>();
  for (const path of candidates) {
    const now = identities.get(path);
    if (path.endsWith(".gz") || now === undefined || now.size === 0) continue;
    const same = now.head_bytes === HEAD_BYTES ? byHead.get(now.head_sha256) : undefined;
    const found = same === undefined ? undefined : pick(same, path, now.size, taken);
    if (found !== undefined) {
      taken.add(found.mark);
      restored.set(path, { ...found.mark, path, offset: found.offset });
      continue;
    }
    const hit = short.size === 0 ? undefined : short.match(path, now);
    if (hit !== undefined) shortHits.add(hit, path);
  }
  for (const { mark, path } of shortHits.claims(identities)) {
    taken.add(mark);
    restored.set(path, { ...mark, path });
  }
  return { restored, archived: archived.filter((m) => !taken.has(m)) };
}
