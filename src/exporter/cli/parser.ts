import yargs, { type Argv } from "yargs";
import {
  DEFAULT_AGGREGATE_OUTPUT,
  DEFAULT_INPUTS,
  DEFAULT_LOCK_WAIT_MS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_REPORT_OUTPUT,
  DEFAULT_ROW_GROUP_SIZE,
} from "../contracts.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";

const INPUT_HELP = "Directory (its *.jsonl and *.jsonl.gz files), file, or glob; repeatable";

/** Flags every reading command takes. */
function readFlags(y: Argv, inputDefault = true) {
  return y
    .option("input", {
      alias: "i",
      type: "string",
      array: true,
      // yargs counts a default as given, so commands with --from apply the default themselves.
      ...(inputDefault ? { default: [...DEFAULT_INPUTS] } : {}),
      describe: inputDefault ? INPUT_HELP : `${INPUT_HELP} [default: ${DEFAULT_INPUTS.join(" ")}]`,
    })
    .option("strict", {
      type: "boolean",
      default: false,
      describe: "Stop at the first invalid line or missing input; write no output",
    })
    .option("max-line-bytes", {
      type: "number",
      default: DEFAULT_MAX_LINE_BYTES,
      describe: "Longest line read; longer lines are reported as line_too_long",
    })
    .option("workers", {
      type: "number",
      describe:
        "Worker threads for large inputs; 0 reads in one thread (default: one per core, at most 4)",
    })
    .option("diagnostics", {
      type: "string",
      requiresArg: true,
      describe: "Write every diagnostic as JSON Lines to this file",
    })
    .option("quiet", {
      alias: "q",
      type: "boolean",
      default: false,
      describe: "No summary or progress on stderr",
    })
    .epilogue(EXIT_CODES_HELP);
}

/** Filter flags of the commands that produce data. */
function filterFlags(y: Argv) {
  return y
    .option("channel", {
      type: "string",
      array: true,
      describe: "Keep only these channels; repeatable",
    })
    .option("event", {
      type: "string",
      array: true,
      describe: "Keep only these event names; repeatable",
    })
    .option("since", {
      type: "string",
      describe: "Keep events at or after this UTC date or date-time",
    })
    .option("until", { type: "string", describe: "Keep events before this UTC date or date-time" });
}

/** `--from`, for the commands that can show a saved aggregate report instead of reading inputs. */
function fromFlag(y: Argv) {
  return y
    .option("from", {
      type: "string",
      describe: "Use this aggregate report (from aggregate or etl) instead of reading inputs",
    })
    .conflicts("from", ["input", "channel", "event", "since", "until", "diagnostics"]);
}

/** `--incremental`, with what it means for the command. */
function incrementalFlag(describe: string) {
  return { type: "boolean", default: false, describe } as const;
}

/** `--lock-wait`, for the commands that hold a lock on their output. */
const LOCK_WAIT_FLAG = {
  type: "number",
  default: DEFAULT_LOCK_WAIT_MS / 1000,
  describe: "Seconds to wait for another run writing the same output to finish; 0 fails at once",
} as const;

/** `--full`, the same for every incremental command. */
const FULL_FLAG = {
  type: "boolean",
  default: false,
  describe: "With --incremental: ignore the saved state and read everything again",
} as const;

/** The yargs parser of `telemetry-exporter`, with no handlers: main() dispatches. */
export function buildParser(version: string, width: number | null = 100): Argv {
  return yargs()
    .scriptName("telemetry-exporter")
    .usage("$0 <command> [options]\n\nExport and aggregate telemetry_event_v1 JSON Lines.")
    .command("export", "Export valid events as JSON, JSON Lines or Parquet", (y) =>
      filterFlags(readFlags(y))
        .option("format", {
          alias: "f",
          choices: ["json", "jsonl", "parquet"] as const,
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
          choices: ["day", "channel", "channel,day"] as const,
          describe:
            "Parquet: write a Hive-partitioned directory at --output (channel=…/day=…/part-N.parquet)",
        })
        .example("$0 export --format json --output reports/analytics/telemetry_events.json", "")
        .example("$0 export --format parquet --output /tmp/events.parquet --channel user", "")
        .example("$0 export --format parquet --partition-by channel,day --output /tmp/events", ""),
    )
    .command(
      "aggregate",
      "Write counts per channel, event and UTC day with the input inventory",
      (y) =>
        filterFlags(readFlags(y)).option("output", {
          alias: "o",
          type: "string",
          requiresArg: true,
          default: DEFAULT_AGGREGATE_OUTPUT,
          describe: "Report file (written atomically)",
        }),
    )
    .command("validate", "Check every record; exit 3 when any is invalid", (y) => readFlags(y))
    .command(
      "summary",
      "Print a table of events per channel and day, top events and anomalies",
      (y) =>
        fromFlag(filterFlags(readFlags(y, false)))
          .example("$0 summary", "")
          .example(`$0 summary --from ${DEFAULT_AGGREGATE_OUTPUT}`, ""),
    )
    .command("report", "Write a self-contained HTML report with charts and tables", (y) =>
      fromFlag(filterFlags(readFlags(y, false)))
        .option("output", {
          alias: "o",
          type: "string",
          requiresArg: true,
          default: DEFAULT_REPORT_OUTPUT,
          describe: "HTML file (written atomically)",
        })
        .option("title", {
          type: "string",
          default: "Telemetry report",
          describe: "Page title",
        })
        .example(`$0 report --from ${DEFAULT_AGGREGATE_OUTPUT}`, ""),
    )
    .command(
      "etl",
      "JSON export, aggregate report and HTML report in one pass (make telemetry-etl)",
      (y) =>
        filterFlags(readFlags(y))
          .option("output-dir", {
            type: "string",
            requiresArg: true,
            default: DEFAULT_OUTPUT_DIR,
            describe:
              "Directory for telemetry_events.json, telemetry_aggregates.json, telemetry_report.html",
          })
          .option(
            "incremental",
            incrementalFlag(
              "Read only what was appended since the last run (state in DIR/.etl-state.json)",
            ),
          )
          .option("full", FULL_FLAG)
          .option("lock-wait", LOCK_WAIT_FLAG),
    )
    .demandCommand(1, "give a command: export, aggregate, validate, etl, summary or report")
    .recommendCommands()
    .strict()
    .showHelpOnFail(false)
    .version(version)
    .help()
    .alias("help", "h")
    .epilogue(EXIT_CODES_HELP)
    .wrap(width)
    .exitProcess(false);
}
