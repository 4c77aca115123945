import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../helpers/read-lines.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const child = "test/fixtures/processes/record-then-wait.ts";
// SIGHUP: the terminal or SSH session closed (Node ends the process on it, even under nohup).
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

async function signalAfterRecording(mode: string, signal: NodeJS.Signals) {
  const directory = tempDir();
  const proc = startTs(child, [directory, mode]);
  await waitForLine(proc, /^ready$/);
  await new Promise((resolve) => setTimeout(resolve, 10));
  proc.kill(signal);
  const ended = await waitForExit(proc);
  const path = join(directory, "app.jsonl");
  return { ended, lines: existsSync(path) ? readLines(path) : [] };
}

describe("signals with the default options", () => {
  it.each(SIGNALS)(
    "%s 10 ms after 100 record() calls: all 100 on disk, and the signal still ends the process",
    async (signal) => {
      const { ended, lines } = await signalAfterRecording("default", signal);
      expect(ended).toEqual({ code: null, signal });
      expect(lines.map((line) => JSON.parse(line).payload.i)).toEqual(
        Array.from({ length: 100 }, (_, i) => i),
      );
    },
  );

  it.each(SIGNALS)(
    "%s with an application handler: all 100 on disk, and the process is not killed",
    async (signal) => {
      const { ended, lines } = await signalAfterRecording("app-handler", signal);
      expect(ended).toEqual({ code: 0, signal: null });
      expect(lines).toHaveLength(100);
    },
  );

  it.each(SIGNALS)(
    "%s with handleSignals: false: the signal's default action, buffered events lost",
    async (signal) => {
      const { ended, lines } = await signalAfterRecording("opt-out", signal);
      expect(ended).toEqual({ code: null, signal });
      expect(lines).toHaveLength(0);
    },
  );
});
