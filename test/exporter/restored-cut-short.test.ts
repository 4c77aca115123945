// A backup taken before an archived file's last lines were written, put back: it holds fewer
// bytes than were read, all of them exported already. It continues at its own end: nothing in it
// is exported again, and lines written into it after it is back are new, and read.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { minuteLines } from "../helpers/history-world.js";
import { held, putBackWorld } from "../helpers/put-back-world.js";

// 40 lines (more than 4 KiB, whose first 4 KiB name the file) when the backup was taken; 10 more
// written and read before retention deleted the file.
function archivedAfterBackup() {
  const w = putBackWorld();
  w.write("user.jsonl", minuteLines(0, 5));
  w.write("old.jsonl", minuteLines(1000, 40));
  w.save("old.jsonl");
  appendFileSync(join(w.input, "old.jsonl"), minuteLines(1040, 10));
  return w;
}

describe("an archived file put back from a copy cut short", () => {
  for (const as of ["old.jsonl", "old.restored.jsonl"]) {
    it(`under ${as === "old.jsonl" ? "its own name" : "another name"}: no event twice; lines written into it later are read`, async () => {
      const w = archivedAfterBackup();
      expect(await w.run()).toEqual(held(55));
      w.remove("old.jsonl");
      expect(await w.run()).toEqual(held(55));
      w.restore("old.jsonl", as);
      expect(await w.run()).toEqual(held(55));
      appendFileSync(join(w.input, as), minuteLines(3000, 3));
      expect(await w.run()).toEqual(held(58));
      // Deleted again: archived with what was read, the lines written into it included.
      w.remove(as);
      expect(await w.run()).toEqual(held(58));
    });
  }
});
