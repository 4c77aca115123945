import { basename, dirname, sep } from "node:path";
import { TelemetryError } from "../../../errors/index.js";
import { parsePartName } from "./part-names.js";

/**
 * The partition keys a part file's path names, as `--partition-by` spells them
 * (`channel=user/day=2025-03-01/part-….parquet` is `channel,day`); undefined for other files.
 */
export function layoutOf(relative: string): string | undefined {
  if (parsePartName(basename(relative)) === undefined) return undefined;
  const folder = dirname(relative);
  if (folder === ".") return "";
  return folder
    .split(sep)
    .map((segment) => segment.slice(0, Math.max(0, segment.indexOf("="))))
    .join(",");
}

/**
 * Refuses a commit that would leave part files of two layouts in one dataset: DuckDB, Spark
 * and Trino refuse to read such a dataset at all ("Hive partition mismatch"), so one writer
 * exporting `--partition-by day` into another's `channel,day` dataset would break it for all.
 * `kept`: the other files the new version keeps; `staged`: this run's files.
 */
export function checkOneLayout(
  target: string,
  kept: readonly string[],
  staged: readonly string[],
): void {
  const mine = staged.map(layoutOf).find((layout) => layout !== undefined);
  if (mine !== undefined) checkLayout(target, kept, mine);
}

/** Refuses `mine` (`channel,day`, …) when a part file among `others` is partitioned otherwise. */
export function checkLayout(target: string, others: readonly string[], mine: string): void {
  for (const file of others) {
    const theirs = layoutOf(file);
    if (theirs === undefined || theirs === mine) continue;
    const writer = parsePartName(basename(file))?.writer;
    throw new TelemetryError(
      "output_conflict",
      `${target} is partitioned by ${theirs || "nothing"} (${file}${writer === undefined ? "" : `, writer ${writer}`}); this run's files are partitioned by ${mine}, and readers refuse a dataset that mixes both: nothing was committed`,
      { path: ["partitionBy"] },
    );
  }
}
