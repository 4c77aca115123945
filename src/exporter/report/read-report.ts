import { readFile, stat } from "node:fs/promises";
import { TelemetryError } from "../../errors/index.js";
import { type AggregateReport, aggregateReportSchema } from "../model/report-schema.js";
import { restoreEventNameKeys } from "./event-name-keys.js";

// Reports are small (their size does not grow with the events counted, only with the distinct
// channels, event names and days), so reading one whole is fine; this bounds a wrong --from.
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/**
 * Reads an aggregate report written by `aggregate` or `etl` and checks it against the report
 * schema; anything else is an `input_error` naming the file and the first problem.
 */
export async function readAggregateReport(path: string): Promise<AggregateReport> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_REPORT_BYTES) {
      throw new TelemetryError("input_error", `${path} is too large to be an aggregate report`);
    }
    text = await readFile(path, "utf8");
  } catch (cause) {
    if (cause instanceof TelemetryError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    // A report that is not there yet is the usual case: say what writes one (in the API and the
    // CLI alike).
    const hint = code === "ENOENT" ? ": no such file; an aggregate or etl run writes one" : "";
    throw new TelemetryError("input_error", `cannot read report ${path} (${code})${hint}`, {
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TelemetryError("input_error", `${path} is not JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  const parsed = aggregateReportSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      code: issue.code,
      path: issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
      message: issue.message,
    }));
    const first = issues[0];
    const where =
      first === undefined || first.path.length === 0 ? "" : ` at ${first.path.join(".")}`;
    throw new TelemetryError(
      "input_error",
      `${path} is not an aggregate report (telemetry-exporter aggregate writes one)${where}: ${first?.message ?? "invalid"}`,
      { issues },
    );
  }
  const badKey = restoreEventNameKeys(value, parsed.data);
  if (badKey !== undefined) {
    throw new TelemetryError(
      "input_error",
      `${path} is not an aggregate report (telemetry-exporter aggregate writes one) at ${badKey.join(".")}: not a count`,
      { issues: [{ code: "invalid_type", path: badKey, message: "not a count" }] },
    );
  }
  return parsed.data;
}
