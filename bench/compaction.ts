// The compaction scenario: the events exported into a shared dataset as one writer (the
// reference), against compacting the same rows from 100 small part files per partition into
// files of the default row group size. Round by round, so both see the same machine load.
import { rmSync } from "node:fs";
import { runOnce, Samples, type Side } from "./measure.js";

const PARTITIONS = 4; // --partition-by channel over the generator's four channels
const FILES_PER_PARTITION = 100;

/** Runs `rounds` rounds of: the export (timed), the small-file export (not timed), compact (timed). */
export async function compactionBench(options: {
  readonly bin: string;
  readonly input: string;
  readonly events: number;
  readonly scratch: (name: string) => string;
  readonly rounds: number;
  readonly log: (text: string) => void;
}): Promise<{ exported: Side; compacted: Side }> {
  const { bin, input, scratch } = options;
  const node = process.execPath;
  const exportTo = (dataset: string, rowGroupSize: number) => [
    ...[bin, "export", "-f", "parquet", "--partition-by", "channel", "-i", input],
    ...["-o", dataset, "--writer", "bench", "--row-group-size", String(rowGroupSize), "-q"],
  ];
  const small = Math.max(1, Math.ceil(options.events / PARTITIONS / FILES_PER_PARTITION));
  const samples = new Samples<"exported" | "compacted">();
  const clear = (dataset: string) => {
    rmSync(dataset, { recursive: true, force: true });
    rmSync(`${dataset.replace(/[^/]+$/, "")}.${dataset.split("/").at(-1)}.dataset`, {
      recursive: true,
      force: true,
    });
  };
  for (let round = 0; round < options.rounds; round++) {
    options.log(`running compaction scenario (${round + 1}/${options.rounds}) …`);
    const whole = scratch("compact-export");
    clear(whole);
    const exported = await runOnce(node, exportTo(whole, 100_000));
    const parts = scratch("compact-parts");
    clear(parts);
    await runOnce(node, exportTo(parts, small));
    const compacted = await runOnce(node, [bin, "compact", parts, "-q"]);
    samples.add("exported", exported);
    samples.add("compacted", compacted);
    clear(whole);
    clear(parts);
  }
  return { exported: samples.side("exported"), compacted: samples.side("compacted") };
}
