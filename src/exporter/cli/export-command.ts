import {
  DEFAULT_ROW_GROUP_SIZE,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportResult,
  PARTITION_BY,
  type PartitionBy,
} from "../contracts.js";
import { namedDescriptor } from "../sinks/named-descriptor.js";
import type { CliCommand } from "./command.js";
import { EXIT } from "./exit-codes.js";
import {
  FULL_FLAG,
  filterFlags,
  incrementalFlag,
  LOCK_WAIT_FLAG,
  lockWaitMs,
  readFlags,
} from "./shared-flags.js";

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

// Events of last lines without a newline are written again by every run until their line ends:
// counted apart, so a run that only rewrites them does not say it added them.
function tailNote(again = 0): string {
  if (again === 0) return "";
  const lines = again === 1 ? "a last line" : "last lines";
  return ` (and ${again} from ${lines} without a newline yet, written again until ${again === 1 ? "it ends" : "they end"})`;
}

// An incremental partitioned export keeps the previous part files and adds some: the line says
// what the directory now holds, not only what this run added to it.
function describeExport(target: string, result: ExportResult, writer?: string): string {
  const wrote =
    result.filesKept === undefined
      ? `wrote ${plural(result.events, "event")} to ${target}`
      : `added ${plural(result.incremental?.eventsAdded ?? result.events, "event")} to ${target}${tailNote(result.incremental?.eventsReadAgain)}`;
  if (result.files === undefined) return wrote;
  if (result.filesKept === undefined) return `${wrote} (${plural(result.files, "part file")})`;
  const holds = plural(result.files + result.filesKept, "part file");
  const whose = writer === undefined ? "it holds" : `writer ${writer} has`;
  return `${wrote}; ${whose} ${holds} (${result.files} written, ${result.filesKept} kept)`;
}

/** `export`: valid events as JSON, JSON Lines or Parquet. */
export const exportCommand: CliCommand = {
  name: "export",
  describe: "Export valid events as JSON, JSON Lines or Parquet",
  flags: (y) =>
    filterFlags(readFlags(y))
      .option("format", {
        requiresArg: true,
        alias: "f",
        choices: EXPORT_FORMATS,
        default: "json" as const,
        describe: "Output format",
      })
      .option("output", {
        alias: "o",
        type: "string",
        requiresArg: true,
        demandOption: "give --output a file path (or - for stdout with json/jsonl)",
        describe: "Output file (written atomically); - writes JSON/JSONL to stdout",
      })
      .option("row-group-size", {
        requiresArg: true,
        type: "number",
        default: DEFAULT_ROW_GROUP_SIZE,
        describe: "Parquet rows per row group, 1 to 1,000,000 (groups are also cut at 16 MiB)",
      })
      .option(
        "incremental",
        incrementalFlag(
          "With --partition-by: add part files for what was appended since the last run only",
        ),
      )
      .option("full", FULL_FLAG)
      .option("lock-wait", LOCK_WAIT_FLAG)
      .option("partition-by", {
        requiresArg: true,
        choices: PARTITION_BY,
        describe:
          "Parquet: write a Hive-partitioned directory at --output (channel=…/day=…/part-N.parquet)",
      })
      .option("writer", {
        type: "string",
        requiresArg: true,
        describe:
          "With --partition-by: --output is a dataset shared by several writers; add this writer's files, never removing another's",
      })
      .option("host", {
        type: "string",
        requiresArg: true,
        describe:
          "With --writer: the host recorded as the writer's owner (default: this machine's host name)",
      })
      .option("take-over-writer", {
        type: "boolean",
        default: false,
        describe:
          "With --writer: take the name over from the host or inputs that own it (a replaced host)",
      })
      .example("$0 export --format json --output reports/analytics/telemetry_events.json", "")
      .example("$0 export --format parquet --output /tmp/events.parquet --channel user", "")
      .example("$0 export --format parquet --partition-by channel,day --output /tmp/events", ""),
  async run(c) {
    const target = c.argv.output as string;
    const toStdout = target === "-";
    const { exportEvents } = await import("../commands/export.js");
    const result = await exportEvents(
      {
        ...c.read,
        filters: c.filters,
        format: c.argv.format as ExportFormat,
        output: toStdout ? c.io.stdout : target,
        rowGroupSize: c.argv["row-group-size"] as number,
        partitionBy: c.argv["partition-by"] as PartitionBy | undefined,
        incremental: c.argv.incremental === true,
        full: c.argv.full === true,
        writer: c.argv.writer as string | undefined,
        host: c.argv.host as string | undefined,
        takeOverWriter: c.argv["take-over-writer"] === true,
        lockWaitMs: lockWaitMs(c.argv),
      },
      c.tuning,
    );
    c.summarize(result.scan);
    c.noteIncremental(result.incremental);
    // Not into the data itself when the output is stdout by another name (`/dev/stdout`).
    if (!toStdout && namedDescriptor(target) !== 1) {
      c.say(describeExport(target, result, c.argv.writer as string | undefined));
    }
    const from = result.tookOverFrom;
    if (from !== undefined) {
      c.say(
        `took writer ${c.argv.writer} over from host ${from.host} reading ${from.inputs.join(", ")}`,
      );
    }
    return EXIT.ok;
  },
};
