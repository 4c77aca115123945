import type { Writable } from "node:stream";
import type { TextStyle } from "../present/text-style.js";

/** The streams and environment the CLI runs with; tests pass their own. */
export interface CliIO {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
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
