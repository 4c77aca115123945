// The incremental ETL: a full run (which saves the state); 1% of new lines appended to every
// file and the first incremental run after the full one (it copies the events file, keeping the
// one it replaces as the spare); 1% more and the next incremental run (it continues the spare:
// every later run does); one with nothing new; and, as a floor, what copying the events file
// costs. Round by round, so that all see the same machine load. The input may be a large data set (`--etl-events`): nothing here holds a
// whole file in memory.
import { appendFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { channelFiles, freshCopy, trailingLines } from "./inputs.js";
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
  const etl = [bin, "etl", "--incremental", "-i", input, "--output-dir", output, "-q"];
  const samples = new Samples<"full" | "first" | "appended" | "nothingNew" | "copyFloor">();
  const events = join(output, "telemetry_events.json");
  for (let round = 0; round < options.rounds; round++) {
    for (const [k, path] of files.entries()) truncateSync(path, sizes[k]);
    options.log(`running incremental ETL (${round + 1}/${options.rounds}) …`);
    samples.add("full", await runOnce(process.execPath, [...etl, "--full"]));
    for (const [k, path] of files.entries()) appendFileSync(path, growth[k] as Buffer);
    samples.add("first", await runOnce(process.execPath, etl));
    for (const [k, path] of files.entries()) appendFileSync(path, growth[k] as Buffer);
    samples.add("appended", await runOnce(process.execPath, etl));
    samples.add("nothingNew", await runOnce(process.execPath, etl));
    samples.add("copyFloor", await runOnce(process.execPath, ["bench/ref/copy-floor.mjs", events]));
  }
  return {
    full: samples.side("full"),
    first: samples.side("first"),
    appended: samples.side("appended"),
    nothingNew: samples.side("nothingNew"),
    copyFloor: samples.side("copyFloor"),
  };
}
