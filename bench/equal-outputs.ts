// A check, not a measurement: the outputs of incremental runs against a plain full run's over
// the same files. The aggregate report must be identical, `generated_at` aside, and the events
// export must hold the same events (incremental runs add new events at the end, a full run lists
// them file by file, so the events are compared as a multiset: the count of lines and the sum,
// modulo 2^128, of their SHA-256 digests' first 16 bytes, which needs no memory per line at 10M
// events).
import { createHash } from "node:crypto";
import { createReadStream, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { runOnce } from "./measure.js";

const MASK_128 = (1n << 128n) - 1n;

async function eventMultiset(path: string): Promise<string> {
  let count = 0;
  let sum = 0n;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === "[" || line === "]" || line === "[]" || line === "") continue;
    const event = line.endsWith(",") ? line.slice(0, -1) : line;
    const digest = createHash("sha256").update(event).digest();
    sum = (sum + (digest.readBigUInt64BE(0) << 64n) + digest.readBigUInt64BE(8)) & MASK_128;
    count++;
  }
  return `${count}:${sum.toString(16)}`;
}

function reportWithoutDate(path: string): string {
  const report = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  delete report.generated_at;
  return JSON.stringify(report);
}

/** Throws unless `output` (an ETL output directory) holds what a full run over `input` writes. */
export async function equalOutputs(
  bin: string,
  input: string,
  output: string,
  scratchDir: string,
): Promise<void> {
  rmSync(scratchDir, { recursive: true, force: true });
  await runOnce(process.execPath, [bin, "etl", "-i", input, "--output-dir", scratchDir, "-q"]);
  const file = (dir: string, name: string) => join(dir, `telemetry_${name}.json`);
  if (
    reportWithoutDate(file(output, "aggregates")) !==
    reportWithoutDate(file(scratchDir, "aggregates"))
  )
    throw new Error(`the incremental aggregates in ${output} differ from a full run's`);
  const [ours, full] = await Promise.all([
    eventMultiset(file(output, "events")),
    eventMultiset(file(scratchDir, "events")),
  ]);
  if (ours !== full)
    throw new Error(`the incremental events in ${output} differ from a full run's`);
  rmSync(scratchDir, { recursive: true, force: true });
}
