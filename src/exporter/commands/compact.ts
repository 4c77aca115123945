import { basename, dirname, join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { PACKAGE_NAME, packageVersion } from "../../version.js";
import type { CompactOptions, CompactResult } from "../contracts.js";
import { checkApiOptions } from "../plan/api-options.js";
import { planRowGroupSize } from "../plan/export-plan.js";
import { newRunId, parsePartName, partFileName } from "../sinks/dataset/part-names.js";
import { filesOf, linkFile, SharedDataset } from "../sinks/dataset/shared-dataset.js";
import type { CompactSource } from "../sinks/parquet/compact-files.js";
import type { EncoderThread } from "../sinks/parquet/encoder-thread.js";
import { channelOfSegment } from "../sinks/parquet/split-columns.js";

/** The part files of one partition and one writer that are merged together. */
interface Merge {
  readonly partition: string;
  readonly writer: string | undefined;
  readonly sources: (CompactSource & { readonly file: string })[];
  outputs: string[];
}

const NOTHING: CompactResult = {
  partitions: 0,
  filesBefore: 0,
  filesAfter: 0,
  rows: 0,
  skipped: 0,
};

/**
 * Merges each partition's small part files (fewer rows than `rowGroupSize`) into files of about
 * `rowGroupSize` rows, writer by writer (each writer keeps owning its rows). The merged files
 * are written beside the dataset, then published in one new version that holds them instead
 * of their sources: readers see the old files or the new ones, never both, and an interrupted
 * compaction leaves the dataset as it was. Exports may run meanwhile: a merge whose sources a
 * writer replaced in the meantime is not published.
 */
export async function compactDataset(options: CompactOptions): Promise<CompactResult> {
  checkApiOptions("compact", options);
  const rowGroupSize = planRowGroupSize(options.rowGroupSize);
  const dataset = await SharedDataset.open(options.dataset, false, "dataset");
  const { partInfo } = await import("../sinks/parquet/part-reader.js");
  const stage = await dataset.stage();
  let encoder: EncoderThread | undefined;
  let published: Merge[] = [];
  let merges: Merge[] = [];
  try {
    // Read from links of their own: a writer's publish meanwhile removes the version they are in.
    const snapshot = join(stage, "sources");
    const parts = await dataset.snapshot(
      snapshot,
      (file) => parsePartName(basename(file))?.kind === "part",
    );
    const groups = new Map<string, Merge>();
    for (const file of parts) {
      const path = join(snapshot, file);
      const shownAs = join(options.dataset, file);
      const info = await partInfo(path, shownAs);
      if (info.rows >= rowGroupSize) continue;
      const partition = dirname(file);
      const writer = parsePartName(basename(file))?.writer;
      const key = `${partition}\0${writer ?? ""}`;
      const merge = groups.get(key) ?? { partition, writer, sources: [], outputs: [] };
      merge.sources.push({ file, path, shownAs, info });
      groups.set(key, merge);
    }
    merges = [...groups.values()].filter((m) => m.sources.length > 1);
    if (merges.length === 0) return NOTHING;
    const { EncoderThread } = await import("../sinks/parquet/encoder-thread.js");
    const { compactFiles } = await import("../sinks/parquet/compact-files.js");
    encoder = new EncoderThread(`${PACKAGE_NAME} ${packageVersion()}`, rowGroupSize);
    const run = newRunId();
    for (const merge of merges) {
      const expected = merge.sources.reduce((n, s) => n + s.info.rows, 0);
      const written = await compactFiles(merge.sources, {
        encoder,
        rowGroupSize,
        channel: channelOfSegment(/(?:^|\/)channel=([^/]+)/.exec(merge.partition)?.[1] ?? ""),
        output: (n) =>
          join(stage, "merged", merge.partition, partFileName("part", n, run, merge.writer)),
      });
      if (written.rows !== expected) {
        throw new TelemetryError(
          "inconsistent_counts",
          `merging ${merge.partition} wrote ${written.rows} rows of ${expected}; nothing was published`,
        );
      }
      merge.outputs = written.files;
    }
    await dataset.publish(async (current, next) => {
      const present = new Set(current === undefined ? [] : await filesOf(current));
      published = merges.filter((m) => m.sources.every((s) => present.has(s.file)));
      const replaced = new Set(published.flatMap((m) => m.sources.map((s) => s.file)));
      for (const file of present) {
        if (!replaced.has(file)) await linkFile(join(current as string, file), join(next, file));
      }
      for (const merge of published) {
        for (const output of merge.outputs) {
          await linkFile(output, join(next, merge.partition, basename(output)));
        }
      }
    });
  } finally {
    await encoder?.close();
    await dataset.abandon(stage);
  }
  return {
    partitions: new Set(published.map((m) => m.partition)).size,
    filesBefore: published.reduce((n, m) => n + m.sources.length, 0),
    filesAfter: published.reduce((n, m) => n + m.outputs.length, 0),
    rows: published.reduce((n, m) => n + m.sources.reduce((k, s) => k + s.info.rows, 0), 0),
    skipped: merges.length - published.length,
  };
}
