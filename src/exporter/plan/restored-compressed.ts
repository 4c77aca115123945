import { createHash } from "node:crypto";
import { type FileIdentity, HEAD_BYTES } from "./file-identity.js";
import { gzipHead, gzipLength, gzipTrailerSize } from "./gzip-fingerprint.js";
import { type ArchivedMark, ShortArchives, ShortHits } from "./short-archives.js";

// An archived plain file put back compressed (a backup kept as .gz): its decompressed first bytes
// are the file's, as for a file logrotate compressed, and its events are in the outputs already.
// It continues as a compressed rotated file does: read whole and the bytes read before passed
// over, or not read at all when it holds nothing more (a copy cut shorter than what was read
// included: its events were all exported). An archived .gz put back as it was (logrotate's
// retention deletes .gz files) is known by its own identity, its compressed size and first bytes,
// with the same guards as a short file's content, and is not read. A .gz is compared only when it
// is new to the run, so a run with nothing new decompresses nothing. Not recognised: a plain copy
// of a .gz read, or one compressed anew: a state keeps a .gz's identity by its compressed bytes.

/** Where an archived file put back compressed resumes: as claim-moved's compressed files do. */
export interface CompressedBack<Mark> {
  readonly mark: Mark;
  /** Decompressed bytes read before. */
  readonly skip: number;
  /** True when it holds nothing unread. */
  readonly complete: boolean;
}

// Of archived files with the same first bytes, the one of this length, or else the one read
// furthest that it holds, or else (a copy cut short) the nearest.
async function pickByLength<Mark extends ArchivedMark>(
  marks: readonly Mark[],
  path: string,
): Promise<CompressedBack<Mark> | undefined> {
  const [only] = marks;
  // The cheap proof first: one file read to its end, and the trailer's length is its size.
  if (marks.length === 1 && only !== undefined && only.offset === only.identity.size) {
    const size = only.identity.size;
    if (gzipTrailerSize(path) === size % 2 ** 32) return { mark: only, skip: size, complete: true };
  }
  const { length, whole } = await gzipLength(path);
  const fits = marks.filter((m) => m.offset <= length).sort((a, b) => b.offset - a.offset);
  const mark = fits.find((m) => m.identity.size === length) ?? fits[0];
  if (mark !== undefined) {
    return { mark, skip: mark.offset, complete: whole && length === mark.offset };
  }
  const [cut] = [...marks].sort((a, b) => a.offset - b.offset);
  return cut === undefined ? undefined : { mark: cut, skip: length, complete: true };
}

const gzKey = (id: FileIdentity | ArchivedMark["identity"]) =>
  `${id.size}:${id.head_bytes}:${id.head_sha256}`;

// Archived .gz files by their identity (null: more than one had it, so it names none).
function byGzIdentity<Mark extends ArchivedMark>(
  archived: readonly Mark[],
): Map<string, Mark | null> {
  const found = new Map<string, Mark | null>();
  for (const mark of archived) {
    if (!mark.path.endsWith(".gz") || mark.identity.size === 0) continue;
    const key = gzKey(mark.identity);
    found.set(key, found.has(key) ? null : mark);
  }
  return found;
}

// Whether a file other than `path` among `identities` has the identity `key` (content, not inode).
function gzHeldElsewhere(key: string, path: string, identities: ReadonlyMap<string, FileIdentity>) {
  for (const [other, id] of identities) if (other !== path && gzKey(id) === key) return true;
  return false;
}

/**
 * The archived files put back compressed among `candidates` (.gz files no mark claimed),
 * by path; and the marks still archived.
 */
export async function claimCompressedRestored<Mark extends ArchivedMark>(
  archived: readonly Mark[],
  candidates: readonly string[],
  identities: ReadonlyMap<string, FileIdentity>,
): Promise<{ restored: Map<string, CompressedBack<Mark>>; archived: Mark[] }> {
  const restored = new Map<string, CompressedBack<Mark>>();
  const gz = candidates.filter((p) => p.endsWith(".gz"));
  const packed = byGzIdentity(gz.length === 0 ? [] : archived);
  const byHead = new Map<string, Mark[]>();
  const short = new ShortArchives<Mark>();
  for (const mark of gz.length === 0 ? [] : archived) {
    if (mark.path.endsWith(".gz") || mark.offset === 0 || short.add(mark)) continue;
    if (mark.identity.head_bytes !== HEAD_BYTES) continue;
    byHead.set(mark.identity.head_sha256, [...(byHead.get(mark.identity.head_sha256) ?? []), mark]);
  }
  if (byHead.size + short.size + packed.size === 0) return { restored, archived: [...archived] };
  const taken = new Set<Mark>();
  const shortHits = new ShortHits<Mark>();
  for (const path of gz) {
    const now = identities.get(path);
    const same = now === undefined ? undefined : packed.get(gzKey(now));
    if (now === undefined || same === null) continue;
    if (same !== undefined) {
      // Another file of that identity, the run's or new: it names neither (short-archives.ts).
      if (!gzHeldElsewhere(gzKey(now), path, identities)) {
        taken.add(same);
        restored.set(path, { mark: same, skip: same.offset, complete: true });
      }
      continue;
    }
    const head = gzipHead(path, HEAD_BYTES);
    if (head === undefined || head.length === 0) continue;
    const sha256 = createHash("sha256").update(head).digest("hex");
    const alike = head.length === HEAD_BYTES ? byHead.get(sha256) : undefined;
    const open = (alike ?? []).filter((m) => !taken.has(m));
    const found = open.length === 0 ? undefined : await pickByLength(open, path);
    if (found !== undefined) {
      taken.add(found.mark);
      restored.set(path, found);
      continue;
    }
    const hit = short.matchHead(head);
    if (hit !== undefined) shortHits.add(hit, path);
  }
  // As for a plain file: content the run knows more than once names no file (short-archives.ts).
  for (const { mark, path } of shortHits.claims(identities)) {
    const found = await pickByLength([mark], path);
    if (found === undefined) continue;
    taken.add(mark);
    restored.set(path, found);
  }
  return { restored, archived: archived.filter((m) => !taken.has(m)) };
}
