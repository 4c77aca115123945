import { existsSync, fstatSync, readSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SegmentTask } from "../../../src/exporter/engine/segment.js";
import { SharedDescriptors } from "../../../src/exporter/engine/shared-descriptors.js";
import { planRead } from "../../../src/exporter/plan/run-plan.js";
import { planScan } from "../../../src/exporter/plan/scan-plan.js";
import { tempDir } from "../../helpers/temp-dir.js";

const WANT = { counts: true, text: undefined, columns: false, allDiagnostics: false };
// Where the process's descriptors can be opened again (Linux): each segment gets its own.
const REOPENS = existsSync("/proc/self/fd");

function fileOf(lines: number): { dir: string; path: string; text: string } {
  const dir = tempDir("shared-fd-");
  const path = join(dir, "user.jsonl");
  const text = Array.from(
    { length: lines },
    (_, k) => `{"line":${k},"pad":"${"x".repeat(60)}"}\n`,
  ).join("");
  writeFileSync(path, text);
  return { dir, path, text };
}

function tasksOf(dir: string, segmentBytes: number): { plan: ReturnType<typeof planScan> } {
  return { plan: planScan(planRead({ inputs: [dir] }, { tuning: { segmentBytes } })) };
}

const task = (segment: SegmentTask["segment"]): SegmentTask => ({
  segment,
  want: WANT,
  maxLineBytes: 1 << 20,
  filters: undefined,
});

function bytesAt(fd: number, start: number, end: number): string {
  const buffer = Buffer.alloc(end - start);
  const got = readSync(fd, buffer, 0, buffer.length, start);
  return buffer.subarray(0, got).toString();
}

const isClosed = (fd: number) => {
  try {
    fstatSync(fd);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EBADF";
  }
};

describe("SharedDescriptors", () => {
  it("reads every segment of a file read in several through the file it opened, renamed or not", () => {
    const { dir, path, text } = fileOf(400);
    const { plan } = tasksOf(dir, 4096);
    expect(plan.segments.length).toBeGreaterThan(3);
    const descriptors = new SharedDescriptors(plan);
    const [first, ...rest] = plan.segments;
    const prepared = [descriptors.prepare(task(first as SegmentTask["segment"]))];
    // The Tracker's rotation: a new live file at the name, before the later segments are read.
    renameSync(path, join(dir, "user.20250301T000000000Z.jsonl"));
    writeFileSync(path, "{}\n");
    for (const segment of rest) prepared.push(descriptors.prepare(task(segment)));
    const anchor = descriptors.get(0) as number;
    expect(anchor).toBeTypeOf("number");
    const fds = prepared.map((t) => t.fd as number);
    for (const [k, t] of prepared.entries()) {
      expect(bytesAt(fds[k] as number, t.segment.start, t.segment.end)).toBe(
        text.slice(t.segment.start, t.segment.end),
      );
    }
    if (REOPENS) {
      // A description of its own for each segment: two threads never share one.
      expect(new Set([...fds, anchor]).size).toBe(fds.length + 1);
      for (const t of prepared) {
        descriptors.read(t.segment.index);
        expect(isClosed(t.fd as number)).toBe(true);
      }
      expect(isClosed(anchor)).toBe(false);
    } else {
      expect(new Set(fds)).toEqual(new Set([anchor]));
    }
    descriptors.release(0);
    expect(isClosed(anchor)).toBe(true);
  });

  it("closes what is still open when the scan ends early", () => {
    const { dir } = fileOf(400);
    const { plan } = tasksOf(dir, 4096);
    const descriptors = new SharedDescriptors(plan);
    const fds = plan.segments.slice(0, 2).map((s) => descriptors.prepare(task(s)).fd as number);
    const anchor = descriptors.get(0) as number;
    descriptors.closeAll();
    for (const fd of [...fds, anchor]) expect(isClosed(fd)).toBe(true);
    expect(descriptors.get(0)).toBeUndefined();
  });

  it("leaves a file of one segment that the run did not list (an incremental run's) to its path", () => {
    const { dir } = fileOf(10);
    const { plan } = tasksOf(dir, 1 << 20);
    expect(plan.segments).toHaveLength(1);
    const unlisted = { ...plan, files: plan.files.map(({ listed: _, ...f }) => f) };
    const descriptors = new SharedDescriptors(unlisted);
    expect(
      descriptors.prepare(task(plan.segments[0] as SegmentTask["segment"])).fd,
    ).toBeUndefined();
    expect(descriptors.get(0)).toBeUndefined();
  });

  it("opens a listed file of one segment where it is now: renamed since it was planned", () => {
    const { dir, path, text } = fileOf(10);
    const { plan } = tasksOf(dir, 1 << 20);
    expect(plan.segments).toHaveLength(1);
    const descriptors = new SharedDescriptors(plan);
    renameSync(path, join(dir, "user.20250301T000000000Z.jsonl"));
    writeFileSync(path, "new live file\n");
    const prepared = descriptors.prepare(task(plan.segments[0] as SegmentTask["segment"]));
    expect(prepared.fd).toBeDefined();
    expect(bytesAt(prepared.fd as number, 0, text.length)).toBe(text);
    descriptors.closeAll();
  });
});
