import { isTelemetryError } from "../../errors/index.js";

// Library errors name options by their API path; the CLI shows the flag a user typed.
const FLAGS: Readonly<Record<string, string>> = {
  output: "--output",
  outputDir: "--output-dir",
  diagnosticsFile: "--diagnostics",
  lockWaitMs: "--lock-wait",
};

/** The flag an error's first issue points at, when it points at an option. */
export function flagOf(error: unknown): string | undefined {
  if (!isTelemetryError(error)) return undefined;
  const option = error.path?.[0];
  return typeof option === "string" ? FLAGS[option] : undefined;
}
