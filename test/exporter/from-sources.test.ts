import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine } from "../helpers/event-lines.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

// The rest of the suite runs the sources compiled (test/setup/compiled-sources.ts); a developer
// running them under tsx takes the other branch of start-worker.ts, tested here.
describe("the exporter run from its TypeScript sources under tsx", () => {
  it("starts its reader and encoder threads from .ts files", async () => {
    const input = tempDir();
    for (const channel of ["user", "system"]) {
      const lines = Array.from({ length: 300 }, (_, i) => eventLine({ channel, payload: { i } }));
      writeFileSync(join(input, `${channel}.jsonl`), `${lines.join("\n")}\n`);
    }
    const output = join(tempDir(), "events.parquet");
    const script = "test/fixtures/sources/export-with-workers.ts";
    const child = spawn(process.execPath, ["--import", "tsx", script, input, output], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const result = await finished(child);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ events: 600 });
    const rows = await duckdbRows(
      `SELECT channel, count(*)::INTEGER AS n FROM read_parquet('${output}') GROUP BY ALL ORDER BY ALL`,
    );
    expect(rows).toEqual([
      { channel: "system", n: 300 },
      { channel: "user", n: 300 },
    ]);
  });
});
