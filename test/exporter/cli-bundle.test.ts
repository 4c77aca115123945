import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

// The bin runs the bundled CLI (dist/cli), whose worker entries and version are found otherwise
// than the modules tsc writes: these runs go through both worker kinds and the version.
describe("the bundled CLI", () => {
  it("reads with worker threads and encodes Parquet in its encoder thread, as the library does", async () => {
    const input = tempDir();
    // About 10 MB: three segments, so two reader threads start.
    const lines = Array.from({ length: 36_000 }, (_, k) =>
      eventLine({
        channel: k % 2 === 0 ? "user" : "system",
        event: `e${k % 13}`,
        timestamp: new Date(Date.UTC(2025, 2, 1) + k * 1000),
        payload: { k, text: "x".repeat(k % 400) },
      }),
    );
    writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
    const out = tempDir();
    const run = await runBin([
      "export",
      "-i",
      input,
      "--format",
      "parquet",
      "--workers",
      "2",
      "-o",
      join(out, "bin.parquet"),
      "-q",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    await exportEvents(
      { inputs: [input], format: "parquet", output: join(out, "library.parquet") },
      { workers: 0 },
    );
    const built = readFileSync(join(out, "bin.parquet"));
    expect(built.equals(readFileSync(join(out, "library.parquet")))).toBe(true);
  });

  it("prints the version of the package.json it was built from", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const run = await runBin(["--version"]);
    expect(run.stdout).toBe(`${version}\n`);
  });
});
