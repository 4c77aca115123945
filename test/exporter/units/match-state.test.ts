import {
  appendFileSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { identifyFile } from "../../../src/exporter/plan/file-identity.js";
import {
  identifyInputs,
  matchFiles,
  matchState,
  type ReadMark,
} from "../../../src/exporter/plan/match-state.js";
import { continuation } from "../../../src/exporter/plan/resume.js";
import { tempDir } from "../../helpers/temp-dir.js";

function marked(text: string): { path: string; mark: ReadMark } {
  const path = join(tempDir(), "a.jsonl");
  writeFileSync(path, text);
  const identity = identifyFile(path);
  if (identity === undefined) throw new Error("unreadable");
  const offset = text.lastIndexOf("\n") + 1;
  return { path, mark: { path, identity, offset, lines: 1 } };
}

const resolved = (...files: string[]) => ({ files, missing: [] });

describe("matchFiles", () => {
  it("continues a file that only grew, and identifies every input", async () => {
    const { path, mark } = marked("line\n");
    appendFileSync(path, "more\n");
    const match = await matchFiles([mark], resolved(path));
    expect(match.ok).toBe(true);
    if (match.ok) {
      expect(match.saved.get(path)).toBe(mark);
      expect(match.identities.get(path)?.size).toBe(10);
    }
  });

  it("archives a file gone with its last line unfinished, naming the bytes never read", async () => {
    // Deleted now, its torn line is lost whatever the run does; a full run would also drop
    // every archived file's events.
    const { path, mark } = marked("line\npart");
    renameSync(path, `${path}.old`);
    const match = await matchFiles([mark], resolved());
    expect(match).toMatchObject({ ok: true, archived: [mark], unfinished: [{ path, bytes: 4 }] });
  });

  it("archives a file read to its end and gone, with nothing unread", async () => {
    const { path, mark } = marked("line\n");
    renameSync(path, `${path}.old`);
    expect(await matchFiles([mark], resolved())).toMatchObject({ ok: true, unfinished: [] });
  });

  it.each([
    // Its first bytes still there: the same file, cut short.
    ["shrank", (path: string) => truncateSync(path, 5000)],
    [
      // A copy under a new inode: the content is not new, so it cannot be read as new.
      "was replaced",
      (path: string) => {
        writeFileSync(`${path}.new`, "line\n".repeat(2000));
        renameSync(`${path}.new`, path);
      },
    ],
  ])("starts over when a file %s", async (why, change) => {
    const { path, mark } = marked("line\n".repeat(2000));
    change(path);
    const match = await matchFiles([mark], resolved(path));
    expect(match).toEqual({ ok: false, reason: `${path} ${why}` });
  });
});

it("takes a file on the same inode with other first bytes for a new file (inodes are reused)", async () => {
  const { path, mark } = marked("line\n");
  writeFileSync(path, "LINE\nmore\n");
  const match = await matchFiles([mark], resolved(path));
  expect(match).toMatchObject({ ok: true, archived: [mark] });
  if (match.ok) expect(match.saved.size).toBe(0);
});

describe("matchState", () => {
  it("starts over when the events output is not the one the state describes", async () => {
    const { path, mark } = marked("line\n");
    const events = join(tempDir(), "events.json");
    writeFileSync(events, "[");
    const identity = identifyFile(events, 0);
    if (identity === undefined) throw new Error("unreadable");
    const state = { events_output: { identity }, files: [mark], archived: [] };
    expect((await matchState(state, resolved(path), events)).ok).toBe(true);
    appendFileSync(events, "{}");
    expect(await matchState(state, resolved(path), events)).toEqual({
      ok: false,
      reason: `${events} changed since the last run`,
    });
  });
});

describe("continuation", () => {
  it("continues a state that matches, and says why it does not otherwise", async () => {
    const { path, mark } = marked("line\n");
    const ok = await continuation({ state: "S" }, resolved(path), () =>
      matchFiles([mark], resolved(path)),
    );
    expect(ok).toMatchObject({ state: "S", reason: undefined });
    expect(ok.saved.get(path)).toBe(mark);
    const contradicted = await continuation({ state: "S" }, resolved(path), () => ({
      ok: false,
      reason: "why",
    }));
    expect(contradicted).toMatchObject({ state: undefined, reason: "why" });
    expect(contradicted.saved.size).toBe(0);
    const none = await continuation({ reason: "no state yet" }, resolved(path), () => {
      throw new Error("not matched without a state");
    });
    expect(none.reason).toBe("no state yet");
    expect(none.identities).toEqual(identifyInputs([path]));
  });
});

// Read system calls this process has made so far (Linux).
const reads = () => Number(/syscr: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))?.[1]);

describe("matchFiles, with many channels rotated at once", () => {
  it("opens each file about once, not once per deleted file (retention of every channel)", async () => {
    const dir = tempDir();
    const channels = 300;
    const marks: ReadMark[] = [];
    const line = (c: number) => `${JSON.stringify({ c, pad: "x".repeat(100) })}\n`;
    for (let c = 0; c < channels; c++) {
      // A compressed segment the last run read (deleted since), and a live file it read.
      const segment = join(dir, `c${c}.20250101T000000000Z.jsonl.gz`);
      writeFileSync(segment, gzipSync(line(c).repeat(50)));
      const live = join(dir, `c${c}.jsonl`);
      writeFileSync(live, line(c).repeat(50));
      for (const path of [segment, live]) {
        const identity = identifyFile(path);
        if (identity === undefined) throw new Error("unreadable");
        marks.push({ path, identity, offset: identity.size, lines: 50 });
      }
    }
    // Retention deletes each segment, and each live file is rotated; the new live files are
    // larger than the first bytes a mark keeps (4 KiB).
    const files: string[] = [];
    for (let c = 0; c < channels; c++) {
      rmSync(join(dir, `c${c}.20250101T000000000Z.jsonl.gz`));
      const rotated = join(dir, `c${c}.20250102T000000000Z.jsonl`);
      renameSync(join(dir, `c${c}.jsonl`), rotated);
      writeFileSync(join(dir, `c${c}.jsonl`), line(c + channels).repeat(60));
      files.push(rotated, join(dir, `c${c}.jsonl`));
    }
    const before = reads();
    const match = await matchFiles(marks, resolved(...files));
    const made = reads() - before;
    expect(match).toMatchObject({ ok: true });
    if (match.ok) {
      expect(match.archived).toHaveLength(channels);
      expect(match.saved.size).toBe(channels);
    }
    // Identifying 600 files takes a read or two each; comparing every new live file with every
    // deleted segment's first bytes took 90,000 more.
    expect(made).toBeLessThan(10 * files.length);
  });
});
