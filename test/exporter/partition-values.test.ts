import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

// A partition value is what a reader makes of the folder name, not what the folder says: DuckDB
// reads `channel=null` as SQL NULL, `hive_types` or not. The channel `null` is a valid channel.

const line = (channel: string, event: string) =>
  `{"schema_version":"telemetry_event_v1","channel":"${channel}","event":"${event}","timestamp":"2025-03-01T10:00:00.000Z","payload":{}}`;

function inputOf(name: string, lines: readonly string[]): string {
  const input = join(tempDir(), name);
  mkdirSync(input);
  writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
  return input;
}

const TYPES = "hive_types = {'channel': VARCHAR}";

async function channels(output: string, types = TYPES): Promise<unknown[]> {
  return duckdbRows(
    `SELECT channel, count(*)::INTEGER AS n
     FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true, ${types})
     GROUP BY channel ORDER BY channel NULLS FIRST`,
  );
}

describe("partition values read back as the channels they were", () => {
  for (const by of ["channel", "channel,day"]) {
    it(`the channel "null" is the text null to DuckDB (--partition-by ${by})`, async () => {
      const input = inputOf("in", [line("null", "a"), line("user", "b"), line("null", "c")]);
      const output = join(tempDir(), "out");
      const run = await runBin([
        ...["export", "-i", input, "-f", "parquet", "--partition-by", by, "-o", output, "-q"],
      ]);
      expect(run.code).toBe(0);
      const expected = [
        { channel: "null", n: 2 },
        { channel: "user", n: 1 },
      ];
      expect(await channels(output)).toEqual(expected);
      expect(await channels(output, "hive_types_autocast = false")).toEqual(expected);
      const filtered = await duckdbRows(
        `SELECT event FROM read_parquet('${output}/**/*.parquet', hive_partitioning = true, ${TYPES})
         WHERE channel = 'null' ORDER BY event`,
      );
      expect(filtered).toEqual([{ event: "a" }, { event: "c" }]);
    });
  }

  it("a compacted shared dataset keeps the channel null", async () => {
    const dataset = join(tempDir(), "dataset");
    const input = inputOf("in", [line("null", "a"), line("null", "b")]);
    const run = await runBin([
      ...["export", "-i", input, "-f", "parquet", "--partition-by", "channel", "-o", dataset],
      ...["--writer", "web-1", "--row-group-size", "1", "-q"],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const parts = () =>
      (readdirSync(dataset, { recursive: true }) as string[]).filter((f) => f.endsWith(".parquet"));
    expect(parts()).toHaveLength(2);
    const compacted = await runBin(["compact", dataset, "-q"]);
    expect(compacted.code, compacted.stderr).toBe(0);
    expect(parts()).toHaveLength(1);
    expect(await channels(dataset)).toEqual([{ channel: "null", n: 2 }]);
  });
});
