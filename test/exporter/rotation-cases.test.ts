import {
  appendFileSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { incrementalMatchesFull, type Op, replay } from "../helpers/rotation-world.js";
import { tempDir } from "../helpers/temp-dir.js";

// Cases of the rotation property (rotation.property.test.ts) written out step by step, each
// found at random once or derived from one: the same World, the same checks after every run.

async function expectFullRunEachTime(steps: readonly Op[]): Promise<void> {
  await replay(steps, (pair, run) => {
    expect(pair.mode, `run ${run}`).toBe(run === 0 ? "full" : "incremental");
    expect(pair.incremental.report, `run ${run}: report`).toEqual(pair.full.report);
    expect(pair.incremental.events, `run ${run}: events`).toEqual(pair.full.events);
  });
}

const append = (channel: "user" | "system" | "sim", count = 1): Op => ({
  kind: "append",
  channel,
  count,
});
const rotate = (
  channel: "user" | "system" | "sim",
  style: "tracker" | "logrotate" | "create",
): Op => ({
  kind: "rotate",
  channel,
  style,
});
const torn = (channel: "user" | "system" | "sim", cut: number): Op => ({
  kind: "torn",
  channel,
  cut,
});
const compress = (pick: number, finish: boolean): Op => ({ kind: "compress", pick, finish });
const remove = (pick: number): Op => ({ kind: "delete", pick });
const run: Op = { kind: "run" };

describe("incremental ETL under rotation: cases found by the property", () => {
  it("a segment deleted by retention and then shifted by logrotate keeps its place (seed -1475315263)", async () => {
    await expectFullRunEachTime([
      append("sim"),
      rotate("sim", "logrotate"),
      run,
      remove(0),
      compress(0, false),
      rotate("user", "tracker"),
      run,
      append("sim"),
      rotate("sim", "logrotate"),
      run,
      append("user"),
      compress(0, false),
      run,
    ]);
  });

  it("a deleted segment moves on by every rotation since, even when no file the state knew is left to count them", async () => {
    // Only new files are left to say how far the numbers moved: `.2` is new, so at least two.
    await expectFullRunEachTime([
      append("sim", 2),
      rotate("sim", "logrotate"),
      run,
      remove(0),
      run,
      append("sim", 3),
      rotate("sim", "logrotate"),
      append("sim"),
      rotate("sim", "logrotate"),
      append("sim"),
      run,
    ]);
  });

  it("an empty live file renamed by the Tracker, then compressed, is its empty .gz (seed 62)", async () => {
    await expectFullRunEachTime([
      torn("sim", 1),
      rotate("sim", "create"),
      run,
      compress(0, false),
      rotate("sim", "tracker"),
      rotate("user", "tracker"),
      compress(0, false),
      torn("user", 1),
      compress(0, true),
      rotate("user", "tracker"),
    ]);
  });

  it("an empty segment deleted, its inode taken by the next new file: that file is new (seed 63)", async () => {
    await expectFullRunEachTime([
      append("sim"),
      rotate("sim", "create"),
      rotate("user", "tracker"),
      append("user"),
      rotate("sim", "tracker"),
      run,
      remove(0),
      append("user"),
      append("system"),
      run,
    ]);
  });

  it("an empty live file written, renamed by the Tracker and compressed is that .gz (seed 65)", async () => {
    await expectFullRunEachTime([
      append("user"),
      rotate("user", "create"),
      run,
      append("user"),
      rotate("user", "tracker"),
      compress(0, true),
      append("user"),
      run,
      run,
      rotate("user", "tracker"),
      rotate("user", "tracker"),
      append("user"),
    ]);
  });
});

// logrotate's own retention: `rotate N` deletes the oldest segment in the same step that shifts
// the others, so a segment is deleted under the name the state knew and the next newer one takes
// that name at once. `history` gets the same rotations without the deletion.
function numberedChannel(compress: boolean) {
  const input = tempDir();
  const history = tempDir();
  const out = tempDir();
  let k = 0;
  let runs = 0;
  const live = (d: string) => join(d, "user.jsonl");
  const gz = compress ? ".gz" : "";
  const write = (n: number) => {
    const text = Array.from({ length: n }, () => {
      const timestamp = new Date(Date.UTC(2025, 3, 1) + k * 60_000);
      return `${eventLine({ event: `e${k % 3}`, timestamp, payload: { k: k++ } })}\n`;
    }).join("");
    for (const d of [input, history]) appendFileSync(live(d), text);
  };
  const shift = (d: string, keep: number) => {
    const numbers = readdirSync(d)
      .map((name) => /^user\.jsonl\.(\d+)(?:\.gz)?$/.exec(name)?.[1])
      .filter((n) => n !== undefined)
      .map(Number)
      .sort((a, b) => b - a);
    for (const n of numbers) {
      const from = join(d, `user.jsonl.${n}${gz}`);
      if (n >= keep) rmSync(from);
      else renameSync(from, join(d, `user.jsonl.${n + 1}${gz}`));
    }
    renameSync(live(d), join(d, "user.jsonl.1"));
    if (compress) {
      writeFileSync(join(d, "user.jsonl.1.gz"), gzipSync(readFileSync(join(d, "user.jsonl.1"))));
      rmSync(join(d, "user.jsonl.1"));
    }
  };
  return {
    input,
    write,
    /** One logrotate run keeping `keep` segments in `input`, all of them in `history`. */
    rotate(keep: number) {
      shift(input, keep);
      shift(history, Number.POSITIVE_INFINITY);
    },
    async run() {
      const inc = await incrementalMatchesFull(input, history, out);
      expect(inc.incremental?.mode).toBe(runs++ === 0 ? "full" : "incremental");
      return inc;
    },
  };
}

describe("logrotate's numbered names after retention", () => {
  for (const compress of [false, true]) {
    const gz = compress ? ".gz" : "";
    it(`a segment deleted as the others shift is archived under the name it would have now${compress ? " (compressed segments)" : ""}`, async () => {
      const c = numberedChannel(compress);
      c.write(5);
      await c.run();
      for (let rotation = 0; rotation < 2; rotation++) {
        c.rotate(2);
        c.write(3);
        await c.run();
      }
      // `.2` was read whole; this rotation deletes it and renames `.1` to `.2`.
      c.rotate(2);
      c.write(2);
      const first = await c.run();
      expect(first.incremental?.archived).toEqual([join(c.input, `user.jsonl.3${gz}`)]);
      c.rotate(2);
      c.write(4);
      const second = await c.run();
      const archived = [`user.jsonl.4${gz}`, `user.jsonl.3${gz}`].map((n) => join(c.input, n));
      expect(second.incremental?.archived).toEqual(archived);
    });
  }
});
