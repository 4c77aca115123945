import { isTelemetryError } from "../../errors/index.js";

/** Process exit codes of `telemetry-exporter`. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  invalidRecords: 3,
} as const;

/** The exit-code table shown by `--help`. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0  success",
  "  1  I/O or other failure (no input exists; validate finds no input file; a missing or unreadable input under --strict or validate; an output in use)",
  "  2  usage error (bad flags, an output that is an input or a directory)",
  "  3  invalid records (under --strict, or found by validate)",
].join("\n");

/** The exit code an error ends the CLI with. */
export function exitCodeFor(error: unknown): number {
  if (isTelemetryError(error, "usage") || isTelemetryError(error, "output_conflict"))
    return EXIT.usage;
  if (isTelemetryError(error, "invalid_records")) return EXIT.invalidRecords;
  return EXIT.failure;
}
