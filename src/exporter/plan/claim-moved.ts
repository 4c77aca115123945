import type { FileIdentity } from "./file-identity.js";
import {
  type Found,
  findCompressed,
  findCopied,
  findEmptyCompressed,
  findRenamed,
} from "./follow-rotation.js";
import { type Followed, numberedShifts } from "./numbered-shift.js";
import { numberedPath, numberedPlace, rotationRank } from "./rotated-names.js";

interface ReadMark {
  readonly path: string;
  readonly identity: FileIdentity;
  readonly offset: number;
}

// A renamed file is known by its inode, exactly. A compressed one only by content: a hash of its
// first bytes (up to 4 KiB) and its length, which two segments can share (an empty one matches
// every .gz; one that starts as another does matches the other's). Claimed in the wrong order, a
// deleted segment's mark takes another segment's .gz, whose events are then read twice, or whose
// counts the inventory gives to the wrong file. So the strongest evidence claims first: the inode,
// then the name rotation gives a compressed file, then the content alone, longest fingerprint
// first; then a plain copy, for a file still on its inode but cut and written anew in place
// (logrotate's copytruncate). A mark of an empty file has no bytes to compare: it is matched last, within its channel
// only, and follows a rename only to a file born before it was last modified (the next file
// created may get its freed inode).

/**
 * Where each mark whose file is no longer at its path is now, among the input `files` not yet in
 * `claimed` (the paths taken by marks found in place; each claim is added to it). `followed` holds
 * the marks found in place, from their path then to now.
 */
export async function claimMoved<Mark extends ReadMark>(
  moved: readonly Mark[],
  files: readonly string[],
  claimed: Set<string>,
  identities: ReadonlyMap<string, FileIdentity>,
  followed: readonly Followed[],
): Promise<Map<Mark, Found>> {
  const found = new Map<Mark, Found>();
  const unclaimed = () => files.filter((p) => !claimed.has(p) && identities.has(p));
  const claim = (mark: Mark, where: Found | undefined) => {
    if (where === undefined) return;
    found.set(mark, where);
    claimed.add(where.path);
  };
  const rest = () => moved.filter((mark) => !found.has(mark));
  // A rename keeps the inode: only the files on a mark's inode are looked at, not every file
  // for every mark (thousands of channels rotated at once).
  const onInode = new Map<string, string[]>();
  for (const path of files) {
    const id = identities.get(path);
    if (id === undefined) continue;
    const key = `${id.dev}:${id.ino}`;
    onInode.set(key, [...(onInode.get(key) ?? []), path]);
  }
  for (const mark of moved) {
    const same = onInode.get(`${mark.identity.dev}:${mark.identity.ino}`) ?? [];
    const path = findRenamed(
      mark,
      same.filter((p) => !claimed.has(p)),
      identities,
    );
    claim(mark, path === undefined ? undefined : { path });
  }
  const renamed = [...found].map(([mark, where]): Followed => [mark.path, where.path]);
  const shifts = numberedShifts([...followed, ...renamed], []);
  const listed = new Set(files);
  for (const mark of rest()) {
    const name = compressedName(mark.path, shifts);
    const there = listed.has(name) && !claimed.has(name) && identities.has(name);
    claim(mark, await findCompressed(mark, there ? [name] : []));
  }
  const byContent = rest()
    .filter((mark) => mark.identity.head_bytes > 0)
    .sort((a, b) => b.identity.head_bytes - a.identity.head_bytes);
  for (const mark of byContent) claim(mark, await findCompressed(mark, unclaimed()));
  for (const mark of rest()) {
    const path = findCopied(mark, unclaimed(), identities);
    claim(mark, path === undefined ? undefined : { path });
  }
  for (const mark of rest().filter((m) => m.identity.size === 0 && !m.path.endsWith(".gz"))) {
    const { group, tier } = rotationRank(mark.path);
    const ofGroup = unclaimed().filter((p) => p.endsWith(".gz") && rotationRank(p).group === group);
    // A rotated file has no writer left: empty then, it can only have become an empty .gz. The
    // live file may have been written, rotated and compressed since: the oldest new .gz.
    const where = tier === 2 ? await findCompressed(mark, ofGroup.slice(0, 1)) : undefined;
    claim(mark, where ?? (await findEmptyCompressed(ofGroup)));
  }
  return found;
}

// The name a file compressed by rotation gets: `X.gz` in place, but under logrotate's numbers
// `X.N+k.gz` after k shifts (counted from renamed files: only an exact count names a file), where
// `X.N.gz` is then another file's.
function compressedName(path: string, shifts: ReadonlyMap<string, number>): string {
  const place = numberedPlace(path);
  const by = place === undefined ? 0 : (shifts.get(place.group) ?? 0);
  if (place === undefined || by <= 0) return `${path}.gz`;
  return numberedPath({ ...place, n: place.n + by, gz: true });
}
