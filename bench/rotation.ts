// Rotation under the incremental ETL (issue 14). Each round: a full run and a first incremental
// run (+1%; it makes the events file's spare, as the first run after a full one always does),
// then three incremental runs that each add 1% new events: appended to the live files (the
// reference); after a rotation (each live file renamed, a new live file holding the new events);
// after the next rotation, which also compresses the segment rotated before. Half the channels
// rotate with logrotate's names (`X.jsonl.1`, then `X.jsonl.2.gz` with delaycompress), half with
// the Tracker's (`X.<stamp>.jsonl`, then `X.<stamp>.jsonl.gz`). Each incremental run must say it
// continued from the state, read about the new bytes only and add exactly the new events; after
// the first round the outputs must equal a plain full run's over the same files. A silent full
// run fails.
import {
  appendFileSync,
  copyFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { equalOutputs } from "./equal-outputs.js";
import { gzipFile } from "./gzip-file.js";
import { checkIncremental } from "./incremental-check.js";
import { channelFiles, freshCopy, lineCount, trailingLines } from "./inputs.js";
import { runOnce, Samples, type Side } from "./measure.js";

type Step = "appended" | "renamed" | "compressed";

/** The rotated names of one channel: first rotation, then the second (with compression). */
function rotatedNames(live: string, logrotate: boolean) {
  const base = live.slice(0, -".jsonl".length);
  return logrotate
    ? { first: `${live}.1`, compressed: `${live}.2.gz`, second: `${live}.1` }
    : {
        first: `${base}.20250401T000000000Z.jsonl`,
        compressed: `${base}.20250401T000000000Z.jsonl.gz`,
        second: `${base}.20250402T000000000Z.jsonl`,
      };
}

/** Runs `rounds` rounds of the three incremental runs; returns their medians. */
export async function rotationBench(options: {
  readonly bin: string;
  readonly input: string;
  readonly scratch: (name: string) => string;
  readonly rounds: number;
  readonly log: (text: string) => void;
}): Promise<Record<Step, Side>> {
  const { bin, scratch } = options;
  const input = scratch("rot-in");
  const output = scratch("rot-out");
  const names = channelFiles(options.input);
  const growth = names.map((name) => trailingLines(join(options.input, name), 0.01));
  const newEvents = growth.reduce((n, g) => n + lineCount(g), 0);
  // Generous: the formatted figure is rounded, and a rotated segment re-read is 100 times more.
  const most = 2 * growth.reduce((n, g) => n + g.length, 0) + 1000;
  // The segment compressed at the second rotation holds the file and the two appends: the same
  // bytes every round, so it is compressed once.
  const cached = names.map((name) => scratch(`rot-${name}.gz`));
  for (const [k, name] of names.entries()) {
    const appended = Buffer.concat([growth[k] as Buffer, growth[k] as Buffer]);
    await gzipFile(join(options.input, name), appended, cached[k] as string);
  }
  const etl = [bin, "etl", "--incremental", "-i", input, "--output-dir", output];
  const samples = new Samples<Step>();
  const step = async (name: Step) => {
    const run = await runOnce(process.execPath, etl);
    checkIncremental(name, run, most, newEvents);
    samples.add(name, run);
  };
  for (let round = 0; round < options.rounds; round++) {
    options.log(`running rotation scenario (${round + 1}/${options.rounds}) …`);
    freshCopy(options.input, input);
    rmSync(output, { recursive: true, force: true });
    await runOnce(process.execPath, [...etl, "--full", "-q"]);
    const append = () => {
      for (const [k, name] of names.entries())
        appendFileSync(join(input, name), growth[k] as Buffer);
    };
    append();
    await runOnce(process.execPath, [...etl, "-q"]);
    append();
    await step("appended");
    for (const [k, name] of names.entries()) {
      const live = join(input, name);
      renameSync(live, rotatedNames(live, k % 2 === 0).first);
      writeFileSync(live, growth[k] as Buffer);
    }
    await step("renamed");
    for (const [k, name] of names.entries()) {
      const live = join(input, name);
      const rotated = rotatedNames(live, k % 2 === 0);
      // As gzip does: the .gz is complete before the plain segment goes.
      copyFileSync(cached[k] as string, rotated.compressed);
      unlinkSync(rotated.first);
      renameSync(live, rotated.second);
      writeFileSync(live, growth[k] as Buffer);
    }
    await step("compressed");
    if (round === 0) await equalOutputs(bin, input, output, scratch("rot-full"));
  }
  for (const path of cached) rmSync(path, { force: true });
  rmSync(input, { recursive: true, force: true });
  rmSync(output, { recursive: true, force: true });
  return {
    appended: samples.side("appended"),
    renamed: samples.side("renamed"),
    compressed: samples.side("compressed"),
  };
}
