// Which marks a run's state saves when some files were not read at all (deleted after the plan,
// not opened to be identified), and when one was not read to its end.
import { describe, expect, it } from "vitest";
import type { FileIdentity } from "../../../src/exporter/plan/file-identity.js";
import { VANISHED } from "../../../src/exporter/plan/follow-listed.js";
import type { ReadMark } from "../../../src/exporter/plan/match-state.js";
import type { PlannedFile } from "../../../src/exporter/plan/plan-segments.js";
import { nextMarks } from "../../../src/exporter/state/next-marks.js";

const identity = (ino: string, size: number): FileIdentity => ({
  dev: "1",
  ino,
  size,
  mtime_ms: 0,
  head_bytes: 0,
  head_sha256: "",
});

const read: PlannedFile = { path: "/in/a.jsonl", bytes: 40, start: 10, committedEnd: 40 };
const gone: PlannedFile = { path: "/in/b.jsonl", bytes: 90, start: 30, committedEnd: 90 };
const goneNew: PlannedFile = { path: "/in/c.jsonl", bytes: 50, start: 0, committedEnd: 50 };
const identities = new Map([
  [read.path, identity("2", 40)],
  [gone.path, identity("3", 90)],
  [goneNew.path, identity("4", 50)],
]);
// The marks of the run before: b.jsonl was read to 30 bytes, 3 lines, when it was 30 bytes long.
const before: ReadMark = { path: gone.path, identity: identity("3", 30), offset: 30, lines: 3 };
const saved = new Map([[gone.path, before]]);
const markNow = (file: PlannedFile, i: number, id: FileIdentity): ReadMark => ({
  path: file.path,
  identity: id,
  offset: file.committedEnd ?? file.bytes,
  lines: i + 100,
});

describe("nextMarks", () => {
  it("keeps the mark of a file deleted before it was opened, and leaves out a new one", () => {
    const marks = nextMarks(
      [read, gone, goneNew],
      [undefined, VANISHED, VANISHED],
      identities,
      saved,
      new Set(),
      markNow,
    );
    // The kept mark is the one before, unchanged: its unread bytes were named by this run's
    // warning, and the next run archives it as it was last read.
    expect(marks).toEqual({ marks: [markNow(read, 0, identity("2", 40)), before] });
  });

  it("keeps a .gz continued from its plain file as a state keeps a .gz: read whole", () => {
    const gz: PlannedFile = { path: "/in/b.20260101T000000000Z.jsonl.gz", bytes: 70, start: 0 };
    // Continued from the plain file's mark: its identity, offset 0 (its first bytes passed over).
    const continued: ReadMark = { ...before, path: gz.path, offset: 0 };
    const marks = nextMarks(
      [gz],
      [VANISHED],
      new Map([[gz.path, identity("5", 70)]]),
      new Map([[gz.path, continued]]),
      new Set(),
      markNow,
    );
    expect(marks).toEqual({ marks: [{ ...continued, identity: identity("5", 70), offset: 70 }] });
  });

  it("keeps the mark of a file not opened to be identified", () => {
    const marks = nextMarks(
      [read, { ...gone, bytes: 0, unreadable: "could not be opened" }],
      [undefined, "could not be opened to identify it; not read, …"],
      new Map([[read.path, identity("2", 40)]]),
      saved,
      new Set([gone.path]),
      markNow,
    );
    expect(marks).toEqual({ marks: [markNow(read, 0, identity("2", 40)), before] });
  });

  it("saves nothing when a file was not read to its end, or not identified", () => {
    const shrank = "shrank while it was read";
    expect(
      nextMarks([read, gone], [undefined, shrank], identities, saved, new Set(), markNow),
    ).toEqual({ unread: { path: gone.path, why: shrank } });
    const unknown = new Map([[read.path, identity("2", 40)]]);
    expect(
      nextMarks([read, gone], [undefined, undefined], unknown, saved, new Set(), markNow),
    ).toEqual({
      unread: { path: gone.path, why: "it could not be identified when the run began" },
    });
    // The deletion message on a file the run never identified is no deleted file of this run.
    expect(
      nextMarks([read, gone], [undefined, VANISHED], unknown, saved, new Set(), markNow),
    ).toEqual({ unread: { path: gone.path, why: VANISHED } });
  });

  it("saves nothing when a .gz read ends elsewhere than the one identified", () => {
    // Planned by its path, another file's size: not the .gz identified.
    const gz: PlannedFile = { path: "/in/b.jsonl.2.gz", bytes: 60, start: 0, committedEnd: 60 };
    const ids = new Map([[gz.path, identity("6", 90)]]);
    expect(nextMarks([gz], [undefined], ids, new Map(), new Set(), markNow)).toEqual({
      unread: { path: gz.path, why: "another file took its name while it was read" },
    });
    const whole = new Map([[gz.path, identity("6", 60)]]);
    expect(nextMarks([gz], [undefined], whole, new Map(), new Set(), markNow)).toEqual({
      marks: [markNow(gz, 0, identity("6", 60))],
    });
  });

  it("leaves out a file listed and deleted before it was identified", () => {
    const listed: PlannedFile = { path: "/in/d.jsonl", bytes: 0, vanished: VANISHED };
    const marks = nextMarks(
      [listed, read],
      [undefined, undefined],
      identities,
      saved,
      new Set(),
      markNow,
    );
    expect(marks).toEqual({ marks: [markNow(read, 1, identity("2", 40))] });
  });
});
