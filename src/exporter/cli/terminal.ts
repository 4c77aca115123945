import type { Writable } from "node:stream";
import type { TextStyle } from "../report/present/text-style.js";

/** The streams and environment the CLI runs with; tests pass their own. */
export interface CliIO {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number | undefined };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Columns the summary table may use: the terminal's width, between 60 and 120, when stdout is a
 * terminal; 80 otherwise (a pipe or a file has no width, and 80 reads anywhere).
 */
export function summaryWidth(io: CliIO): number {
  const columns = io.stdout.columns;
  if (io.stdout.isTTY !== true || columns === undefined || !(columns > 0)) return 80;
  return Math.min(120, Math.max(60, Math.floor(columns)));
}

/** Colours for one output stream: only on a TTY and never with NO_COLOR set. */
export type Palette = TextStyle;

const plain = (text: string) => text;

/** The palette for `io.stderr` (messages) or `io.stdout` (the summary table). */
export function paletteFor(io: CliIO, stream: "stdout" | "stderr" = "stderr"): Palette {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  if (io[stream].isTTY !== true || noColor) {
    return { bold: plain, red: plain, yellow: plain, dim: plain };
  }
  return {
    bold: (t) => `\x1b[1m${t}\x1b[22m`,
    red: (t) => `\x1b[31m${t}\x1b[39m`,
    yellow: (t) => `\x1b[33m${t}\x1b[39m`,
    dim: (t) => `\x1b[2m${t}\x1b[22m`,
  };
}
