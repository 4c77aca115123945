import type { Writable } from "node:stream";

/** The streams and environment the CLI runs with; tests pass their own. */
export interface CliIO {
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Colours for stderr messages: only on a TTY and never with NO_COLOR set. */
export interface Palette {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly dim: (text: string) => string;
}

const plain = (text: string) => text;

/** The palette for `io.stderr`. */
export function paletteFor(io: CliIO): Palette {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "";
  if (io.stderr.isTTY !== true || noColor) return { red: plain, yellow: plain, dim: plain };
  return {
    red: (t) => `\x1b[31m${t}\x1b[39m`,
    yellow: (t) => `\x1b[33m${t}\x1b[39m`,
    dim: (t) => `\x1b[2m${t}\x1b[22m`,
  };
}
