import type { ChildProcess } from "node:child_process";
import { startTs, waitForExit, waitForLine } from "./spawn-child.js";

/** A Tracker rotating steadily in a child process (test/fixtures/processes/rotate-steadily.ts). */
export interface RotatingWriter {
  readonly writer: ChildProcess;
  /** Whether it still writes. */
  readonly running: () => boolean;
  /** Its "recorded N" line, once it has closed. */
  readonly recorded: Promise<string>;
  readonly exited: Promise<void>;
}

/** Starts rotate-steadily.ts with `args` (directory, ms, …) and waits until it writes. */
export async function startRotatingWriter(args: readonly string[]): Promise<RotatingWriter> {
  const writer = startTs("test/fixtures/processes/rotate-steadily.ts", [...args]);
  await waitForLine(writer, /ready/);
  const recorded = waitForLine(writer, /recorded \d+/);
  // Killed by whileWriting after a failed check, it never prints it: not a second failure.
  recorded.catch(() => undefined);
  let running = true;
  const exited = waitForExit(writer).then(() => {
    running = false;
  });
  return { writer, running: () => running, recorded, exited };
}

/**
 * `f`, then the writer killed if it still runs: a failed check must not leave it filling the
 * directory that the cleanup after each test removes (which then failed too, ENOTEMPTY).
 */
export async function whileWriting<T>(started: RotatingWriter, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } finally {
    started.writer.kill("SIGKILL");
    await started.exited;
  }
}
