// The exporter's defaults in one place, free of heavy imports: the CLI's --help shows them and
// the API applies them. Tests check the two that must match the Tracker's defaults.

/** Default `--input`: the Tracker's default directory. */
export const DEFAULT_INPUTS: readonly string[] = ["reports/telemetry"];

/** Default `--max-line-bytes`: 1 MiB, the Tracker's default `maxEventBytes`. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Default `etl --output-dir`, from the design. */
export const DEFAULT_OUTPUT_DIR = "reports/analytics";

/** Default `aggregate --output`, from the design. */
export const DEFAULT_AGGREGATE_OUTPUT = "reports/analytics/telemetry_aggregates.json";

/** Default `--row-group-size`: large enough for analytics scans, small enough to stream. */
export const DEFAULT_ROW_GROUP_SIZE = 100_000;

/** Largest `--row-group-size` (a group is also cut at 16 MiB of payload, whatever its rows). */
export const MAX_ROW_GROUP_SIZE = 1_000_000;

/** Default `report --output`: beside the aggregate report. */
export const DEFAULT_REPORT_OUTPUT = "reports/analytics/telemetry_report.html";

/** Default `--lock-wait`: how long a run waits for another run writing the same output. */
export const DEFAULT_LOCK_WAIT_MS = 30_000;
