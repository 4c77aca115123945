// A file of less than 4 KiB (a quiet channel's daily segment) that retention deleted after it
// was read, put back: it was hashed whole when read, so its content names it. Its events are in
// the outputs already: it continues from where it was read instead of being exported twice.
// Content the run knows more than once names no file: a file holding it is read as new.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { minuteLines } from "../helpers/history-world.js";
import { held, putBackWorld } from "../helpers/put-back-world.js";

// Three lines: about 450 bytes.
const QUIET = minuteLines(1000, 3);

describe("an archived file of less than 4 KiB put back", () => {
  for (const as of ["old.jsonl", "old.restored.jsonl"]) {
    it(`under ${as === "old.jsonl" ? "its own name" : "another name"}: continued, no event twice`, async () => {
      const w = putBackWorld();
      w.write("user.jsonl", minuteLines(0, 5));
      w.write("old.jsonl", QUIET);
      w.save("old.jsonl");
      expect(await w.run()).toEqual(held(8));
      w.remove("old.jsonl");
      expect(await w.run()).toEqual(held(8));
      w.restore("old.jsonl", as);
      expect(await w.run()).toEqual(held(8));
      // Lines written into it since: only those are read.
      appendFileSync(join(w.input, as), minuteLines(2000, 2));
      expect(await w.run()).toEqual(held(10));
    });
  }

  it("with lines written after the backup was taken back: only those are read", async () => {
    const w = putBackWorld();
    w.write("old.jsonl", QUIET);
    w.save("old.jsonl");
    await w.run();
    w.remove("old.jsonl");
    await w.run();
    w.write("old.jsonl", QUIET + minuteLines(2000, 40));
    expect(await w.run()).toEqual(held(43));
  });
});

// One identical line a day (a heartbeat with a fixed timestamp): each day's file is a new one.
describe("content the run knows more than once names no file", () => {
  const BEAT = `${eventLine({ event: "beat" })}\n`;

  it("a file the run reads holds it too: the next file with it is new", async () => {
    const w = putBackWorld();
    w.write("day1.jsonl", BEAT);
    w.write("day2.jsonl", BEAT);
    expect(await w.run()).toEqual(held(2, 1));
    w.remove("day1.jsonl");
    await w.run();
    w.write("day3.jsonl", BEAT);
    expect(await w.run()).toEqual(held(3, 1));
  });

  it("two archived files held it: the next file with it is new", async () => {
    const w = putBackWorld();
    w.write("day1.jsonl", BEAT);
    w.write("day2.jsonl", BEAT);
    await w.run();
    w.remove("day1.jsonl");
    w.remove("day2.jsonl");
    expect(await w.run()).toEqual(held(2, 1));
    w.write("day3.jsonl", BEAT);
    expect(await w.run()).toEqual(held(3, 1));
  });

  it("two new files hold one archived file's content: both are new", async () => {
    const w = putBackWorld();
    w.write("day1.jsonl", BEAT);
    await w.run();
    w.remove("day1.jsonl");
    await w.run();
    w.write("day2.jsonl", BEAT);
    w.write("day3.jsonl", `${BEAT}${BEAT}`);
    expect(await w.run()).toEqual(held(4, 1));
  });
});
