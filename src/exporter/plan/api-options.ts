import { closestName } from "../../errors/did-you-mean.js";
import { TelemetryError } from "../../errors/index.js";

// Every option each call takes, as contracts.ts declares them (a test holds these lists to the
// TypeScript interfaces): TypeScript refuses a misspelt option, plain JavaScript does not.
const READ = [
  "inputs",
  "strict",
  "maxLineBytes",
  "filters",
  "onDiagnostic",
  "onProgress",
  "clock",
] as const;
const SCAN = [...READ, "diagnosticsFile"] as const;
const REPORT = ["now"] as const;
const INCREMENTAL = ["incremental", "full", "lockWaitMs"] as const;
const WRITER = ["writer", "host", "takeOverWriter"] as const;
const REPORT_SOURCE = [...SCAN, ...REPORT, "from"] as const;

/** The options of each API call (its options type in parentheses). */
export const API_OPTIONS = {
  /** `scanEvents` (ReadOptions). */
  read: READ,
  /** `validateEvents` (ScanOptions). */
  validate: SCAN,
  /** `exportEvents` (ExportOptions). */
  export: [
    ...SCAN,
    ...INCREMENTAL,
    ...WRITER,
    "format",
    "output",
    "rowGroupSize",
    "tempDir",
    "partitionBy",
  ],
  /** `aggregateEvents` (AggregateOptions). */
  aggregate: [...SCAN, ...REPORT, "output"],
  /** `runEtl` (EtlOptions). */
  etl: [...SCAN, ...REPORT, ...INCREMENTAL, "outputDir"],
  /** `compactDataset` (CompactOptions). */
  compact: ["dataset", "rowGroupSize"],
  /** `loadReport` (ReportSourceOptions). */
  loadReport: REPORT_SOURCE,
  /** `writeHtmlReport` (WriteHtmlReportOptions). */
  writeHtmlReport: [...REPORT_SOURCE, "title", "maxBars", "topEvents", "output"],
  /** The `filters` option (EventFilters). */
  filters: ["channels", "events", "since", "until"],
} as const satisfies Record<string, readonly string[]>;

export type ApiCall = Exclude<keyof typeof API_OPTIONS, "filters">;

function unknownKeys(value: object, known: readonly string[], parent: readonly string[]) {
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const near = closestName(key, known);
      const name = [...parent, key].join(".");
      const hint =
        near === undefined
          ? `known options: ${known.join(", ")}`
          : `did you mean \`${[...parent, near].join(".")}\`?`;
      return {
        code: "usage" as const,
        path: [...parent, key],
        message: `unknown option \`${name}\`; ${hint}`,
      };
    });
}

/**
 * Refuses what a plain-JavaScript caller can get wrong that TypeScript would have caught: options
 * that are not an object, and a key that is no option of `call` (nor of its `filters`), with the
 * closest name. A misspelt option was ignored: `outputdir` wrote to the default directory,
 * `filter` counted everything. Throws `usage`, one issue a key, each with its path.
 */
export function checkApiOptions(call: ApiCall, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TelemetryError("usage", "options must be an object", { path: [] });
  }
  const filters = (options as { filters?: unknown }).filters;
  const issues = [
    ...unknownKeys(options, API_OPTIONS[call], []),
    ...((API_OPTIONS[call] as readonly string[]).includes("filters") &&
    filters !== null &&
    typeof filters === "object" &&
    !Array.isArray(filters)
      ? unknownKeys(filters, API_OPTIONS.filters, ["filters"])
      : []),
  ];
  const first = issues[0];
  if (first === undefined) return;
  const message = issues.map((issue) => issue.message).join("; ");
  throw new TelemetryError("usage", message, { issues, path: first.path });
}
