import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

const EXPORT = pathToFileURL(join(ROOT, "dist/exporter/commands/export.js")).href;

describe("an export to stdout read by 10 worker threads", () => {
  // Each segment's text is larger than stdout's buffer, so every write waits for it to drain,
  // with a listener for its errors: next to one per thread piping its own stdout into the
  // process's, that made more than 10 and Node printed a MaxListenersExceededWarning (the CLI
  // adds one listener of its own: there, `--workers 8` did it).
  it("prints nothing on stderr, and writes every event once, in order", async () => {
    const input = tempDir();
    const lines = Array.from({ length: 5000 }, (_, k) =>
      eventLine({ event: `e${k % 5}`, payload: { k, text: "y".repeat(200) } }),
    );
    writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
    const script = `
      const { exportEvents } = await import(${JSON.stringify(EXPORT)});
      await exportEvents(
        { inputs: [${JSON.stringify(input)}], output: process.stdout, format: "jsonl" },
        { workers: 10, segmentBytes: 64 * 1024 },
      );
    `;
    const run = await finished(
      spawn(process.execPath, ["--input-type=module", "-e", script], {
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const keys = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { payload: { k: number } }).payload.k);
    expect(keys).toEqual(lines.map((_, k) => k));
  });
});
