import { closeSync, fstatSync, openSync } from "node:fs";
import type { ScanPlan } from "../plan/scan-plan.js";

// A file read in several segments is read for a while, by several threads. Opened by its path
// for each segment, a rotation meanwhile (the Tracker's or logrotate's rename, then a new live
// file) had its later segments read from the new live file at the old one's offsets: each cut
// short, an error, and the rest of the file missing from that run's outputs. So such a file is
// opened once, before its reads start, and all its segments are read through that descriptor
// (the threads of a process share its descriptors), whatever its name is by then.

/**
 * Per file index of `plan`, a descriptor of each plain file read in more than one segment: the
 * file the run identified (one found on another inode is left to be opened by path, and caught
 * as changed). Close them with {@link closeDescriptors} once the scan ends.
 */
export function openSharedDescriptors(plan: ScanPlan): Map<number, number> {
  const segments = new Map<number, number>();
  for (const s of plan.segments) {
    if (!s.gzip && s.unreadable === undefined) {
      segments.set(s.fileIndex, (segments.get(s.fileIndex) ?? 0) + 1);
    }
  }
  const descriptors = new Map<number, number>();
  for (const [index, count] of segments) {
    const file = plan.files[index];
    if (count < 2 || file === undefined) continue;
    let fd: number;
    try {
      fd = openSync(file.path, "r");
    } catch {
      continue; // Read by path, as any file: its read reports why it cannot be.
    }
    const stat = fstatSync(fd, { bigint: true });
    const planned = file.identity;
    if (
      planned !== undefined &&
      (stat.dev.toString() !== planned.dev || stat.ino.toString() !== planned.ino)
    ) {
      closeSync(fd);
      continue;
    }
    descriptors.set(index, fd);
  }
  return descriptors;
}

/** Closes the descriptors {@link openSharedDescriptors} opened. */
export function closeDescriptors(descriptors: ReadonlyMap<number, number>): void {
  for (const fd of descriptors.values()) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
