// Library errors name options as the API does, in backticks (`rowGroupSize`), and carry the
// option's path; the CLI speaks of flags. This is the one place that maps the first to the second.

/** The flag of each option the library names. */
export const OPTION_FLAGS: Readonly<Record<string, string>> = {
  inputs: "--input",
  strict: "--strict",
  maxLineBytes: "--max-line-bytes",
  workers: "--workers",
  diagnosticsFile: "--diagnostics",
  format: "--format",
  output: "--output",
  rowGroupSize: "--row-group-size",
  partitionBy: "--partition-by",
  incremental: "--incremental",
  full: "--full",
  outputDir: "--output-dir",
  lockWaitMs: "--lock-wait",
  from: "--from",
  title: "--title",
  channels: "--channel",
  events: "--event",
  since: "--since",
  until: "--until",
};

/** The flag of an error's option path (`["filters", "since"]` is `--since`). */
export function flagFor(path: readonly (string | number)[] | undefined): string | undefined {
  const name = path?.findLast((part): part is string => typeof part === "string");
  return name === undefined ? undefined : OPTION_FLAGS[name];
}

/** A library message as the CLI shows it: every option it names in backticks becomes its flag. */
export function cliMessage(message: string): string {
  return message.replace(/`([A-Za-z]+)`/g, (text, name: string) => OPTION_FLAGS[name] ?? text);
}
