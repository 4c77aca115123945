import { closeSync, fstatSync, openSync } from "node:fs";
import {
  followListed,
  identityAsListed,
  LISTED_ELSEWHERE,
  type RunFiles,
  VANISHED,
} from "../plan/follow-listed.js";
import { isGone } from "../plan/inspect-file.js";
import { OpenShortage } from "../plan/open-shortage.js";
import type { Segment } from "../plan/plan-segments.js";
import type { ScanPlan } from "../plan/scan-plan.js";
import type { SegmentTask } from "./segment.js";

// A file read in several segments is read for a while, by several threads. Opened by its path
// for each segment, a rotation meanwhile (the Tracker's or logrotate's rename, then a new live
// file) had its later segments read from the new live file at the old one's offsets: each cut
// short, an error, and the rest of the file missing from that run's outputs. So such a file is
// opened once, when its first segment is handed out, and all its segments are read through that
// descriptor (the threads of a process share its descriptors), whatever its name is by then.
// It is closed once its last segment is taken in: only the files being read hold one. Each
// segment reads through a description of its own, the file opened again through that descriptor
// (Linux's /proc/self/fd): two threads reading one description took 1.015 of the time of a JSON
// export of 1M events (30 alternated pairs; its own for each segment: 1.001). Where that cannot
// be opened, the segments share the descriptor.
//
// A run that keeps no state opens every file it listed this way, each where it is by then
// (follow-listed.ts): the Tracker may have renamed, compressed or deleted it since it was planned.
// A plain file compressed meanwhile is read from its .gz, each segment its own range of it; one
// deleted is a `vanished_file` warning when it was found by listing, an error when named.

/** The descriptors a scan reads its files of several segments through. */
export class SharedDescriptors {
  private readonly open = new Map<number, number>();
  /** Files of several plain segments that are not open yet. */
  private readonly waiting = new Set<number>();
  /** The descriptors segments read through, by segment index, until they are taken in. */
  private readonly own = new Map<number, number>();
  /** Listed plain files found compressed when opened: the .gz each is read from. */
  private readonly compressedTo = new Map<number, string>();
  /** Listed files found gone when opened. */
  private readonly gone = new Set<number>();
  /** Of those, the files whose segment handed out named them already. */
  private readonly named = new Set<number>();
  /** Listed files found to be read under another listed name: nothing to read under this one. */
  private readonly elsewhere = new Set<number>();
  /** Files that could not be opened for want of descriptors: unreadable, not gone. */
  private readonly short = new Map<number, string>();
  private readonly taken: RunFiles;

  constructor(private readonly plan: ScanPlan) {
    const segments = new Map<number, number>();
    for (const s of plan.segments) {
      if (s.unreadable !== undefined || s.vanished !== undefined) continue;
      const file = plan.files[s.fileIndex];
      if (file?.listed !== undefined || file?.identity !== undefined) this.waiting.add(s.fileIndex);
      else if (!s.gzip) segments.set(s.fileIndex, (segments.get(s.fileIndex) ?? 0) + 1);
    }
    for (const [index, count] of segments) if (count > 1) this.waiting.add(index);
    this.taken = new Map(plan.files.map((f) => [f.path, f.listed]));
  }

  /** `task`, with its file's descriptor when the file is read through one (opened now if not). */
  prepare(task: SegmentTask): SegmentTask {
    const index = task.segment.fileIndex;
    if (this.waiting.delete(index)) this.openOrShort(index);
    const short = this.short.get(index);
    if (short !== undefined) return { ...task, segment: { ...task.segment, unreadable: short } };
    if (this.gone.has(index)) {
      // Named once, by its first segment; the rest have nothing to read.
      if (this.named.has(index)) return { ...task, segment: nothingToRead(task.segment) };
      this.named.add(index);
      return { ...task, segment: this.goneSegment(task.segment) };
    }
    if (this.elsewhere.has(index)) return { ...task, segment: nothingToRead(task.segment) };
    const anchor = this.open.get(index);
    if (anchor === undefined) return task;
    const fd = reopen(anchor);
    if (fd !== anchor) this.own.set(task.segment.index, fd);
    const gz = this.compressedTo.get(index);
    if (gz === undefined) return { ...task, fd };
    return { ...task, fd, segment: this.inCompressed(task.segment, gz) };
  }

  /** Whether file `index` was found deleted when it was opened, after it was planned. */
  deleted(index: number): boolean {
    return this.gone.has(index);
  }

  /** Whether file `index`, found by listing, was deleted after it was planned (a warning). */
  vanished(index: number): boolean {
    return this.gone.has(index) && this.foundByListing(index);
  }

  /** Whether file `index` was read from the .gz it was compressed to after it was planned. */
  compressed(index: number): boolean {
    return this.compressedTo.has(index);
  }

  private openOrShort(index: number): void {
    try {
      this.openFile(index);
    } catch (error) {
      if (!(error instanceof OpenShortage)) throw error;
      this.short.set(index, error.message);
    }
  }

  private openFile(index: number): void {
    const file = this.plan.files[index];
    if (file?.listed === undefined) {
      if (file?.identity !== undefined) {
        // An incremental run's file, renamed or compressed since it was identified: read where
        // it is now, and its checkpoint kept under the name planned (the next run follows it).
        const followed = followListed(
          file.path,
          identityAsListed(file.path, file.identity),
          this.taken,
        );
        if (followed !== undefined && followed !== LISTED_ELSEWHERE) {
          this.open.set(index, followed.fd);
          if (followed.compressed) this.compressedTo.set(index, followed.path);
          return;
        }
        // Deleted since it was planned: a warning when found by listing (retention's), as below.
        if (followed === undefined && isGone(file.path)) {
          this.gone.add(index);
          return;
        }
      }
      const fd = this.openIdentified(index);
      if (fd !== undefined) this.open.set(index, fd);
      return;
    }
    const followed = followListed(file.path, file.listed, this.taken);
    if (followed === undefined || followed === LISTED_ELSEWHERE) {
      (followed === undefined ? this.gone : this.elsewhere).add(index);
      return;
    }
    this.open.set(index, followed.fd);
    if (followed.compressed && !file.path.endsWith(".gz")) {
      this.compressedTo.set(index, followed.path);
    }
  }

  // Found by listing a directory or a glob, not named: its deletion is retention's, no error.
  private foundByListing(index: number): boolean {
    const file = this.plan.files[index];
    return file?.listed?.found ?? file?.found ?? false;
  }

  // A segment of a listed file deleted since it was planned.
  private goneSegment(segment: Segment): Segment {
    return this.foundByListing(segment.fileIndex)
      ? { ...segment, vanished: VANISHED }
      : { ...segment, unreadable: "vanished after the run listed it" };
  }

  // A segment of a plain file, read from the .gz it was compressed to: the same decompressed
  // bytes, passed over up to its start; its final fragment read on to the end (the file is
  // complete once compressed).
  private inCompressed(segment: Segment, gz: string): Segment {
    const file = this.plan.files[segment.fileIndex];
    const fragment = file?.fragmentFrom === segment.start;
    return {
      ...segment,
      path: gz,
      gzip: true,
      skip: segment.start,
      ...(fragment ? {} : { limit: segment.end - segment.start }),
    };
  }

  /** Closes the descriptor segment `index` was read through, if it was its own. */
  read(index: number): void {
    const fd = this.own.get(index);
    this.own.delete(index);
    if (fd !== undefined) closeQuietly(fd);
  }

  /** The descriptor file `index` is read through, while it is open. */
  get(index: number): number | undefined {
    return this.open.get(index);
  }

  /** Closes file `index`'s descriptor: its last segment is read. */
  release(index: number): void {
    const fd = this.open.get(index);
    this.open.delete(index);
    if (fd !== undefined) closeQuietly(fd);
  }

  /** Closes every descriptor still open (the scan ended, or failed). */
  closeAll(): void {
    for (const index of [...this.own.keys()]) this.read(index);
    for (const index of [...this.open.keys()]) this.release(index);
  }

  // The file the run identified (one found on another inode is left to be opened by path, and
  // caught as changed); undefined when it cannot be opened (its read then says why).
  private openIdentified(index: number): number | undefined {
    const file = this.plan.files[index];
    if (file === undefined) return undefined;
    let fd: number;
    try {
      fd = openSync(file.path, "r");
    } catch {
      return undefined;
    }
    const stat = fstatSync(fd, { bigint: true });
    const planned = file.identity;
    if (
      planned !== undefined &&
      (stat.dev.toString() !== planned.dev || stat.ino.toString() !== planned.ino)
    ) {
      closeQuietly(fd);
      return undefined;
    }
    return fd;
  }
}

// `segment`, reading nothing and reporting nothing.
function nothingToRead(segment: Segment): Segment {
  return { ...segment, gzip: false, end: segment.start };
}

// The file open as `fd`, opened again: a description of its own, even once it is renamed or
// deleted. `fd` itself where /proc is not there to do it.
function reopen(fd: number): number {
  try {
    return openSync(`/proc/self/fd/${fd}`, "r");
  } catch {
    return fd;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
}
