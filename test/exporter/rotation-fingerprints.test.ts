import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { incrementalMatchesFull } from "../helpers/rotation-world.js";
import { tempDir } from "../helpers/temp-dir.js";

// A compressed segment is a new inode: only its content says which file the state read it as.
// Segments whose first bytes are equal (an empty one, one that starts as another does) must not
// be taken for each other, whichever of them retention deletes. `history` keeps the segment
// deleted in `input`; the incremental outputs must be a full run's over it.

const S1 = "user.20250301T000000000Z.jsonl";
const S2 = "user.20250302T000000000Z.jsonl";

const line = (k: number, pad = 0) =>
  `${eventLine({ timestamp: new Date(Date.UTC(2025, 2, 1) + k * 60_000), payload: { k, pad: "x".repeat(pad) } })}\n`;

function twoSegments(first: string, second: string) {
  const input = tempDir();
  const history = tempDir();
  const out = tempDir();
  for (const d of [input, history]) {
    writeFileSync(join(d, S1), first);
    writeFileSync(join(d, S2), second);
    writeFileSync(join(d, "user.jsonl"), line(1000));
  }
  const compress = (name: string) => {
    for (const d of [input, history]) {
      writeFileSync(join(d, `${name}.gz`), gzipSync(readFileSync(join(d, name))));
      rmSync(join(d, name));
    }
  };
  const run = () => incrementalMatchesFull(input, history, out);
  const write = (name: string, text: string) => {
    for (const d of [input, history]) writeFileSync(join(d, name), text);
  };
  return {
    input,
    history,
    compress,
    run,
    write,
    remove: (name: string) => rmSync(join(input, name)),
  };
}

describe("segments with equal first bytes are not taken for each other", () => {
  // Past 4 KiB the last pair differ: the state's fingerprint of each is the same.
  const head = line(1, 5000);
  it.each([
    [
      "an empty segment deleted while another is compressed: the other is not read again",
      "",
      line(1) + line(2),
    ],
    [
      "a segment deleted while a longer one that starts with its bytes is compressed",
      line(1),
      line(1) + line(2),
    ],
    [
      "a segment deleted while one of the same length and first 4 KiB is compressed",
      head + line(2),
      head + line(3),
    ],
  ])("%s", async (_, first, second) => {
    const c = twoSegments(first, second);
    await c.run();
    c.remove(S1);
    c.compress(S2);
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    expect(result.incremental?.archived).toEqual([join(c.input, S1)]);
  });

  it("an empty segment deleted while a new file is written: no full run", async () => {
    const c = twoSegments("", line(1));
    await c.run();
    // Written first, so that it cannot get the deleted segment's inode back.
    const fresh = eventLine({ channel: "system" });
    c.write("system.jsonl", `${fresh}\n`);
    c.remove(S1);
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: fresh.length + 1 });
  });
});

describe("segments with equal fingerprints under logrotate's numbers", () => {
  it("the one compressed is told by the name the shift gives it, the other is archived", async () => {
    const input = tempDir();
    const history = tempDir();
    const out = tempDir();
    const head = line(1, 5000);
    const at = (d: string, name: string) => join(d, `user.jsonl${name}`);
    for (const d of [input, history]) {
      writeFileSync(at(d, ".2"), head + line(2));
      writeFileSync(at(d, ".1"), head + line(3));
      writeFileSync(at(d, ""), line(4));
    }
    const run = () => incrementalMatchesFull(input, history, out);
    await run();
    // logrotate with `rotate 2` and `compress`: `.2` is deleted, `.1` becomes `.2.gz`.
    rmSync(at(input, ".2"));
    renameSync(at(history, ".2"), at(history, ".3"));
    for (const d of [input, history]) {
      writeFileSync(at(d, ".2.gz"), gzipSync(readFileSync(at(d, ".1"))));
      rmSync(at(d, ".1"));
      renameSync(at(d, ""), at(d, ".1"));
    }
    const result = await run();
    expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    expect(result.incremental?.archived).toEqual([at(input, ".3")]);
  });
});

describe("a .gz cut short", () => {
  it("past what was read (its trailer lost): not read again, its error reported as a full run does", async () => {
    const c = twoSegments(line(1) + line(2), line(3));
    await c.run();
    for (const d of [c.input, c.history]) {
      const gz = gzipSync(readFileSync(join(d, S1)));
      writeFileSync(join(d, `${S1}.gz`), gz.subarray(0, gz.length - 4));
      rmSync(join(d, S1));
    }
    const result = await c.run();
    expect(result.incremental?.mode).toBe("incremental");
    expect(result.report.anomalies.by_code).toEqual({ invalid_gzip: 1 });
  });

  it("in place of a segment read whole: a full run, no event read twice", async () => {
    // Lines that hardly compress, so that the part of the .gz left holds more than its first
    // 4 KiB: the bytes that say which segment it is.
    const noise = (k: number) => createHash("sha256").update(`${k}`).digest("hex");
    const text = Array.from({ length: 100 }, (_, k) =>
      line(k).replace('"k":', `"noise":"${noise(k)}","k":`),
    ).join("");
    const c = twoSegments(text, line(100));
    await c.run();
    // A compressor that died part-way, and its source removed anyway: the .gz holds the first
    // lines only, and both directories hold the same files.
    const gz = gzipSync(text);
    for (const d of [c.input, c.history]) {
      writeFileSync(join(d, `${S1}.gz`), gz.subarray(0, Math.floor((gz.length * 3) / 4)));
      rmSync(join(d, S1));
    }
    const result = await c.run();
    expect(result.incremental?.mode).toBe("full");
    expect(result.incremental?.reason).toBe(
      `${join(c.input, S1)} was compressed into ${join(c.input, `${S1}.gz`)}, which holds less than was read`,
    );
  });
});
