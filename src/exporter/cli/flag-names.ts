// Library errors name options as the API does, in backticks (`rowGroupSize`), and carry the
// option's path (["rowGroupSize"]); the CLI speaks of flags. This is the one place that maps
// option names, the last element of a path, to flags.

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
  writer: "--writer",
  host: "--host",
  takeOverWriter: "--take-over-writer",
  outputDir: "--output-dir",
  lockWaitMs: "--lock-wait",
  from: "--from",
  title: "--title",
  channels: "--channel",
  events: "--event",
  since: "--since",
  until: "--until",
};

/** A library message as the CLI shows it: every option it names in backticks becomes its flag. */
export function cliMessage(message: string): string {
  return message.replace(/`([A-Za-z]+)`/g, (text, name: string) => OPTION_FLAGS[name] ?? text);
}
