// An archived plain file put back compressed (a backup kept as .gz): its events are in the
// outputs already. Its decompressed content names it, as a file logrotate compressed is named:
// it is not read again, or only past what was read.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { minuteLines } from "../helpers/history-world.js";
import { held, putBackWorld } from "../helpers/put-back-world.js";

// `lines` lines in old.jsonl (40: more than 4 KiB; 3: less), read, then deleted by retention.
async function archived(lines: number) {
  const w = putBackWorld();
  w.write("user.jsonl", minuteLines(0, 5));
  w.write("old.jsonl", minuteLines(1000, lines));
  w.save("old.jsonl");
  expect(await w.run()).toEqual(held(5 + lines));
  w.remove("old.jsonl");
  expect(await w.run()).toEqual(held(5 + lines));
  return w;
}

describe("an archived file put back compressed", () => {
  for (const lines of [40, 3]) {
    for (const as of ["old.jsonl.gz", "old.restored.jsonl.gz"]) {
      it(`of ${lines} lines, as ${as}: no event twice`, async () => {
        const w = await archived(lines);
        w.restoreGzip("old.jsonl", as);
        expect(await w.run()).toEqual(held(5 + lines));
        // Deleted again: still archived, its events kept.
        w.remove(as);
        expect(await w.run()).toEqual(held(5 + lines));
      });
    }
  }

  it("holding lines written after it was read: only those are read", async () => {
    const w = await archived(40);
    const later = minuteLines(1000, 40) + minuteLines(2000, 4);
    writeFileSync(join(w.input, "old.jsonl.gz"), gzipSync(later));
    expect(await w.run()).toEqual(held(49));
  });

  it("from a copy cut shorter than what was read: no event twice", async () => {
    const w = putBackWorld();
    w.write("old.jsonl", minuteLines(1000, 40));
    w.save("old.jsonl");
    w.write("old.jsonl", minuteLines(1000, 40) + minuteLines(1040, 10));
    await w.run();
    w.remove("old.jsonl");
    await w.run();
    w.restoreGzip("old.jsonl", "old.jsonl.gz");
    expect(await w.run()).toEqual(held(50));
  });

  // One identical line a day: content the run knows more than once names no file.
  const BEAT = `${eventLine({ event: "beat" })}\n`;

  it("with content a file the run reads holds too: new", async () => {
    const w = putBackWorld();
    w.write("day1.jsonl", BEAT);
    w.write("day2.jsonl", BEAT);
    await w.run();
    w.remove("day1.jsonl");
    await w.run();
    writeFileSync(join(w.input, "day3.jsonl.gz"), gzipSync(BEAT));
    expect(await w.run()).toEqual(held(3, 1));
  });

  it("with content two new files hold: both new", async () => {
    const w = putBackWorld();
    w.write("day1.jsonl", BEAT);
    await w.run();
    w.remove("day1.jsonl");
    await w.run();
    writeFileSync(join(w.input, "day2.jsonl.gz"), gzipSync(BEAT));
    writeFileSync(join(w.input, "day3.jsonl.gz"), gzipSync(BEAT + BEAT));
    expect(await w.run()).toEqual(held(4, 1));
  });
});

// logrotate's retention deletes compressed segments: one put back as it was is known by its own
// identity (compressed size and first bytes), and not read again.
describe("an archived .gz put back as it was", () => {
  for (const as of ["old.jsonl.1.gz", "old.restored.jsonl.gz"]) {
    it(`as ${as}: no event twice`, async () => {
      const w = putBackWorld();
      w.write("user.jsonl", minuteLines(0, 5));
      writeFileSync(join(w.input, "old.jsonl.1.gz"), gzipSync(minuteLines(1000, 40)));
      w.save("old.jsonl.1.gz");
      expect(await w.run()).toEqual(held(45));
      w.remove("old.jsonl.1.gz");
      expect(await w.run()).toEqual(held(45));
      w.restore("old.jsonl.1.gz", as);
      expect(await w.run()).toEqual(held(45));
    });
  }

  // gzip output with no name and no time in its header: one line a day compresses the same.
  const DAY = gzipSync(`${eventLine({ event: "beat" })}\n`);
  const write = (w: ReturnType<typeof putBackWorld>, name: string) =>
    writeFileSync(join(w.input, name), DAY);

  it("identical to a .gz the run reads: new", async () => {
    const w = putBackWorld();
    write(w, "day1.jsonl.gz");
    write(w, "day2.jsonl.gz");
    await w.run();
    w.remove("day1.jsonl.gz");
    await w.run();
    write(w, "day3.jsonl.gz");
    expect(await w.run()).toEqual(held(3, 1));
  });

  it("identical to two archived ones: new", async () => {
    const w = putBackWorld();
    write(w, "day1.jsonl.gz");
    write(w, "day2.jsonl.gz");
    await w.run();
    w.remove("day1.jsonl.gz");
    w.remove("day2.jsonl.gz");
    await w.run();
    write(w, "day3.jsonl.gz");
    expect(await w.run()).toEqual(held(3, 1));
  });

  it("two new ones identical to one archived: both new", async () => {
    const w = putBackWorld();
    write(w, "day1.jsonl.gz");
    await w.run();
    w.remove("day1.jsonl.gz");
    await w.run();
    write(w, "day2.jsonl.gz");
    write(w, "day3.jsonl.gz");
    expect(await w.run()).toEqual(held(3, 1));
  });
});
