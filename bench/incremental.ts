// The incremental ETL: a full run (which saves the state); 1% of new lines appended to every
// file and the first incremental run after the full one (it copies the events file, keeping the
// one it replaces as the spare); 1% more and the next incremental run (it continues the spare:
// every later run does); one with nothing new; and, as a floor, what copying the events file
// costs. Round by round, so that all see the same machine load. The input may be a large data set (`--etl-events`): nothing here holds a
// whole file in memory.
import { appendFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { equalOutputs } from "./equal-outputs.js";
import { checkIncremental } from "./incremental-check.js";
import { channelFiles, freshCopy, lineCount, trailingLines } from "./inputs.js";
import { runOnce, Samples, type Side } from "./measure.js";

/** Runs `rounds` rounds of: full run, +1% appended and incremental run, incremental run again. */
export async function incrementalBench(options: {
  readonly bin: string;
  readonly input: string;
  readonly scratch: (name: string) => string;
  readonly rounds: number;
  readonly log: (text: string) => void;
}): Promise<{ full: Side; first: Side; appended: Side; nothingNew: Side; copyFloor: Side }> {
  const { bin, scratch } = options;
  const input = scratch("inc-in");
  const output = scratch("inc-out");
  freshCopy(options.input, input);
  const files = channelFiles(input).map((name) => join(input, name));
  const sizes = files.map((path) => statSync(path).size);
  const growth = files.map((path) => trailingLines(path, 0.01));
  const newEvents = growth.reduce((n, g) => n + lineCount(g), 0);
  // Generous: the formatted figure is rounded; a run that read everything again is 100 times more.
  const most = 2 * growth.reduce((n, g) => n + g.length, 0) + 1000;
  // Not quiet: what the CLI says of each timed run shows it was incremental (incremental-check.ts).
  const etl = [bin, "etl", "--incremental", "-i", input, "--output-dir", output];
  const samples = new Samples<"full" | "first" | "appended" | "nothingNew" | "copyFloor">();
  const events = join(output, "telemetry_events.json");
  for (let round = 0; round < options.rounds; round++) {
    for (const [k, path] of files.entries()) truncateSync(path, sizes[k]);
    options.log(`running incremental ETL (${round + 1}/${options.rounds}) …`);
    samples.add("full", await runOnce(process.execPath, [...etl, "--full", "-q"]));
    const step = async (name: "first" | "appended" | "nothingNew", added: number) => {
      const run = await runOnce(process.execPath, etl);
      checkIncremental(name, run, added === 0 ? 1000 : most, added);
      samples.add(name, run);
    };
    for (const [k, path] of files.entries()) appendFileSync(path, growth[k] as Buffer);
    await step("first", newEvents);
    for (const [k, path] of files.entries()) appendFileSync(path, growth[k] as Buffer);
    await step("appended", newEvents);
    await step("nothingNew", 0);
    samples.add("copyFloor", await runOnce(process.execPath, ["bench/ref/copy-floor.mjs", events]));
  }
  // Once, untimed: the last round's outputs are what a full run over the same files writes.
  await equalOutputs(bin, input, output, scratch("inc-full"));
  return {
    full: samples.side("full"),
    first: samples.side("first"),
    appended: samples.side("appended"),
    nothingNew: samples.side("nothingNew"),
    copyFloor: samples.side("copyFloor"),
  };
}
