import { Writable } from "node:stream";
import { main } from "../../src/exporter/cli/main.js";

/** A CLI run's exit code and what it printed. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

class Capture extends Writable {
  text = "";
  isTTY: boolean;
  columns: number | undefined;
  constructor(isTTY: boolean, columns?: number) {
    super();
    this.isTTY = isTTY;
    this.columns = columns;
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString("utf8");
    callback();
  }
}

/** Runs `telemetry-exporter` in-process with captured output. */
export async function runCli(
  args: readonly string[],
  options: {
    tty?: boolean;
    stdoutTty?: boolean;
    stdoutColumns?: number;
    env?: Record<string, string>;
  } = {},
): Promise<CliRun> {
  const stdout = new Capture(options.stdoutTty ?? false, options.stdoutColumns);
  const stderr = new Capture(options.tty ?? false);
  const code = await main(args, { stdout, stderr, env: options.env ?? {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The arguments of a partitioned Parquet export (`by`: the `--partition-by` value). */
export function partitionedExportArgs(
  input: string,
  output: string,
  by = "day",
  ...extra: string[]
): string[] {
  return ["export", "-i", input, "-f", "parquet", "--partition-by", by, "-o", output, ...extra];
}
