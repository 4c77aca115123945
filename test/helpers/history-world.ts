// Inputs whose history outlives them: a live file, and a segment retention deletes once it was
// read (archived). `history` keeps a copy of every byte written: what a full run over all the
// files, had none been deleted, reads.
import { appendFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exportEvents } from "../../src/exporter/index.js";
import { eventLine } from "./event-lines.js";
import { tempDir } from "./temp-dir.js";

/** `n` event lines a minute apart from 2025-02-01 plus `from` minutes, each ending in "\n". */
export function minuteLines(from: number, n: number, channel?: string): string {
  return Array.from(
    { length: n },
    (_, k) =>
      `${eventLine({ ...(channel === undefined ? {} : { channel }), timestamp: new Date(Date.UTC(2025, 1, 1) + (from + k) * 60_000) })}\n`,
  ).join("");
}

/** `user.jsonl` (10 events) and `old.jsonl` (7), which `retire()` deletes. */
export function historyWorld() {
  const input = tempDir();
  const history = tempDir();
  const write = (name: string, text: string) => {
    appendFileSync(join(input, name), text);
    appendFileSync(join(history, name), text);
  };
  write("user.jsonl", minuteLines(0, 10));
  write("old.jsonl", minuteLines(100, 7));
  return { input, history, write, retire: () => rmSync(join(input, "old.jsonl")) };
}

/** An incremental Parquet export of `input` into `output`, partitioned by channel. */
export function exportByChannel(input: string, output: string) {
  return exportEvents({
    inputs: [input],
    output,
    format: "parquet",
    partitionBy: "channel",
    incremental: true,
  });
}
