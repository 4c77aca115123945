import { randomUUID } from "node:crypto";

// Part files are named per run, the way Spark names them (`part-<n>-<uuid>`), so any number of
// runs and hosts can write into one dataset prefix without overwriting each other. A shared
// dataset's files also carry their writer, which owns them: its full runs replace them, and
// compaction merges files of one writer only, so that ownership survives compaction.

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const NAME = new RegExp(`^(part|tail)-(\\d{5,})-(${UUID})(?:-(.+))?\\.parquet$`);

/** A new run's id, unique across hosts. */
export function newRunId(): string {
  return randomUUID();
}

/** `part-00000-<run>[-<writer>].parquet` (`tail-…` for the events of unfinished lines). */
export function partFileName(
  kind: "part" | "tail",
  n: number,
  run: string,
  writer: string | undefined,
): string {
  const suffix = writer === undefined ? "" : `-${writer}`;
  return `${kind}-${String(n).padStart(5, "0")}-${run}${suffix}.parquet`;
}

/** What a part file's name says, or undefined for any other name. */
export interface PartName {
  readonly kind: "part" | "tail";
  readonly run: string;
  /** Undefined for the files of single-writer exports. */
  readonly writer: string | undefined;
}

export function parsePartName(name: string): PartName | undefined {
  const m = NAME.exec(name);
  if (m === null) return undefined;
  return { kind: m[1] as "part" | "tail", run: m[3] as string, writer: m[4] };
}
