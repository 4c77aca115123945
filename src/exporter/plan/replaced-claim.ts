import { closeSync, fstatSync } from "node:fs";
import { basename } from "node:path";
import { type Followed, type ListedFile, tryOpen } from "./follow-listed.js";
import { isTrackerSegmentName } from "./rotated-names.js";

// A Tracker rotation claims its segment's name as an empty file, then renames the live file over
// that claim (src/tracker/claim-segment.ts). Listed in between, the name was an empty file, so
// it was planned as nothing to read, while the segments rotated after it were listed and read:
// a stress run missed a channel's events 13127 to 13449 that way, those before and after there.
// What the name holds now is the segment it was claimed for, written before it was renamed
// there: it is read. A claim left by a rotation killed before its rename stays the empty file
// listed, and reads nothing.

/**
 * The segment renamed over the empty claim listed at `path`, open: at `path`, or at its .gz when
 * compressed since. Undefined when `path` is no Tracker segment's name or holds the claim still.
 * Throws an OpenShortage when it cannot be opened for want of descriptors.
 */
export function replacedClaim(path: string, listed: ListedFile): Followed | undefined {
  if (!isTrackerSegmentName(basename(path))) return undefined;
  for (const candidate of [path, `${path}.gz`]) {
    const fd = tryOpen(candidate);
    if (fd === undefined) continue;
    if (isOtherFile(fd, listed)) return { path: candidate, fd, compressed: candidate !== path };
    closeSync(fd);
    return undefined;
  }
  return undefined;
}

// A regular file that is not the claim listed, and holds something.
function isOtherFile(fd: number, listed: ListedFile): boolean {
  const stat = fstatSync(fd, { bigint: true });
  if (!stat.isFile() || stat.size === 0n) return false;
  const sameInode = stat.dev.toString() === listed.dev && stat.ino.toString() === listed.ino;
  const sameBirth = listed.birthNs === undefined || stat.birthtimeNs.toString() === listed.birthNs;
  return !(sameInode && sameBirth);
}
