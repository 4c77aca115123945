import { tmpdir } from "node:os";
import { TelemetryError } from "../../errors/index.js";
import {
  DEFAULT_ROW_GROUP_SIZE,
  EXPORT_FORMATS,
  type ExportFormat,
  type ExportOptions,
  MAX_ROW_GROUP_SIZE,
  type OutputStream,
  PARTITION_BY,
  type PartitionBy,
} from "../contracts.js";
import { planFull } from "./full-option.js";
import { directoryLockPath } from "./run-files.js";
import { type EngineTuning, planRun, type RunPlan } from "./run-plan.js";
import { checkWriterOptions, planWriterClaim, type WriterClaim } from "./writer-plan.js";

/** An export, planned: its format and output checked, then the run planned. */
export type ExportPlan =
  | {
      readonly kind: "file";
      readonly run: RunPlan;
      readonly format: ExportFormat;
      readonly output: string | OutputStream;
      readonly rowGroupSize: number;
      /** Under `strict`: where a stream output is held until the run ends (see held-sink.ts). */
      readonly holdIn: string | undefined;
    }
  | {
      readonly kind: "partitioned";
      readonly run: RunPlan;
      readonly output: string;
      readonly partitionBy: PartitionBy;
      readonly rowGroupSize: number;
      readonly incremental: boolean;
      readonly full: boolean;
      /** In a dataset shared by several writers: this writer's name. */
      readonly writer: string | undefined;
      /** With a writer: the producer it claims the name for. */
      readonly claim: WriterClaim | undefined;
    };

function usage(message: string, path: string): TelemetryError {
  return new TelemetryError("usage", message, { path: [path] });
}

/** `rowGroupSize`, checked, or its default. */
export function planRowGroupSize(given: number | undefined): number {
  const rows = given ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > MAX_ROW_GROUP_SIZE) {
    throw usage(
      `\`rowGroupSize\` must be a whole number from 1 to ${MAX_ROW_GROUP_SIZE.toLocaleString("en-US")}`,
      "rowGroupSize",
    );
  }
  return rows;
}

/** Checks an export's own options, then plans its run with the output checked. */
export function planExport(options: ExportOptions, tuning?: EngineTuning): ExportPlan {
  const format = options.format ?? "json";
  if (!EXPORT_FORMATS.includes(format)) {
    throw usage(`unknown format ${JSON.stringify(format)}; use json, jsonl or parquet`, "format");
  }
  const rows = planRowGroupSize(options.rowGroupSize);
  const output = options.output;
  // Required by the type; plain JavaScript can leave it out, which failed with a TypeError.
  if (
    typeof output !== "string" &&
    typeof (output as Partial<OutputStream>)?.write !== "function"
  ) {
    throw usage(
      "`output` is required: a file path, or a writable stream (JSON and JSONL)",
      "output",
    );
  }
  const incremental = options.incremental === true;
  const full = planFull(options);
  const by = options.partitionBy;
  const writer = checkWriterOptions(options);
  if (by === undefined) {
    if (writer !== undefined) {
      throw usage("`writer` needs `partitionBy` (a shared dataset is partitioned)", "writer");
    }
    if (incremental) {
      throw usage(
        "`incremental` export needs `partitionBy` (one file cannot be added to)",
        "incremental",
      );
    }
    const outputs =
      typeof output === "string"
        ? [{ path: output, kind: "file", option: ["output"] } as const]
        : [];
    const run = planRun(options, outputs, { tuning });
    const holdIn = run.read.strict ? (options.tempDir ?? tmpdir()) : undefined;
    return { kind: "file", run, format, output, rowGroupSize: rows, holdIn };
  }
  if (!PARTITION_BY.includes(by)) {
    throw usage(
      `unknown partitioning ${JSON.stringify(by)}; use ${PARTITION_BY.join(", ")}`,
      "partitionBy",
    );
  }
  if (format !== "parquet") throw usage("`partitionBy` needs `format` parquet", "partitionBy");
  if (typeof output !== "string") {
    throw usage("a partitioned export needs a directory as `output`, not a stream", "output");
  }
  const run = planRun(options, [{ path: output, kind: "directory", option: ["output"] }], {
    incremental,
    tuning,
    runFiles: [{ path: directoryLockPath(output), what: "lock file" }],
  });
  return {
    kind: "partitioned",
    run,
    output,
    partitionBy: by,
    rowGroupSize: rows,
    incremental,
    full,
    writer,
    claim: writer === undefined ? undefined : planWriterClaim(writer, options, run.read.inputs),
  };
}
