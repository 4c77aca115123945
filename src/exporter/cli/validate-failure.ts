import { TelemetryError } from "../../errors/index.js";
import type { ScanResult } from "../contracts.js";
import { type Diagnostic, formatDiagnostic, severityOf } from "../model/diagnostics.js";
import { plural } from "../report/present/format.js";

// The first error a scan kept: its samples are the first diagnostics of any severity, its
// examples the first of each code (a run's first errors may come after its sampled warnings).
function firstError(scan: ScanResult): Diagnostic | undefined {
  const log = scan.diagnostics;
  const sampled = log.samples.find((d) => d.severity === "error");
  if (sampled !== undefined) return sampled;
  for (const [code, examples] of Object.entries(log.examples)) {
    if (severityOf(code as Diagnostic["code"]) === "error" && examples?.[0] !== undefined)
      return examples[0];
  }
  return undefined;
}

/**
 * Why `validate` failed, as the error the CLI ends with: what was wrong, counted, and where the
 * first problem is. Printed under `--quiet` too (which hides the summary), so that a CI log that
 * shows only a failed step still says why. `invalid_records` (exit 3) when a record or a `.gz`
 * file is invalid, `input_error` (exit 1) when only inputs were missing or unreadable.
 */
export function validateFailure(scan: ScanResult): TelemetryError {
  const log = scan.diagnostics;
  const invalid = scan.totals.invalid;
  const corrupt = log.byCode.invalid_gzip ?? 0;
  const unreadable = Math.max(0, log.errors - invalid - corrupt);
  const missing = scan.missing.length;
  const parts = [
    invalid > 0 ? plural(invalid, "invalid record") : "",
    corrupt > 0 ? plural(corrupt, "corrupt .gz file") : "",
    unreadable > 0 ? plural(unreadable, "unreadable input") : "",
    missing > 0 ? plural(missing, "missing input") : "",
  ].filter((part) => part !== "");
  const first = firstError(scan);
  const where =
    first !== undefined
      ? formatDiagnostic(first)
      : missing > 0
        ? `${scan.missing[0]}: input does not exist`
        : undefined;
  const message = `validation failed: ${parts.join(", ")}${where === undefined ? "" : ` (first: ${where})`}`;
  const code = invalid > 0 || corrupt > 0 ? "invalid_records" : "input_error";
  return new TelemetryError(code, message, { path: ["inputs"] });
}
