import { createHash } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents, runEtl } from "../../src/exporter/index.js";
import { STATE_VERSION } from "../../src/exporter/state/state-file.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { tempDir } from "../helpers/temp-dir.js";

let serial = 0;
function lines(channel: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    const k = serial++;
    out += `${JSON.stringify({
      schema_version: "telemetry_event_v1",
      channel,
      event: `e${k % 3}`,
      timestamp: new Date(Date.UTC(2025, 1, 1 + (k % 5), k % 24)).toISOString(),
      payload: { k, text: "x".repeat(k % 40) },
    })}\n`;
  }
  return out;
}

// Rewrites a state file with `change` applied and a checksum that matches it, as a careless
// edit or a bug would leave it: the checksum alone cannot tell.
function tamper(path: string, change: (state: Record<string, any>) => void): void {
  const body = JSON.parse(readFileSync(path, "utf8").split("\n")[1] ?? "");
  change(body);
  const text = JSON.stringify(body);
  const sha256 = createHash("sha256").update(text).digest("hex");
  writeFileSync(path, `${JSON.stringify({ state_version: STATE_VERSION, sha256 })}\n${text}\n`);
}

function aggregates(dir: string): unknown {
  const report = JSON.parse(readFileSync(join(dir, "telemetry_aggregates.json"), "utf8"));
  delete report.generated_at;
  return report;
}

const keys = (dir: string) =>
  (
    JSON.parse(readFileSync(join(dir, "telemetry_events.json"), "utf8")) as {
      payload: { k: number };
    }[]
  )
    .map((e) => e.payload.k)
    .sort((a, b) => a - b);

async function etlCase(change: (state: Record<string, any>) => void) {
  const input = tempDir();
  const out = tempDir();
  writeFileSync(join(input, "a.jsonl"), lines("a", 40));
  writeFileSync(join(input, "b.jsonl"), lines("b", 25));
  const args = ["etl", "--incremental", "-i", input, "--output-dir", out];
  expect((await runCli(args)).code).toBe(0);
  tamper(join(out, ".etl-state.json"), change);
  appendFileSync(join(input, "a.jsonl"), lines("a", 7));
  appendFileSync(join(input, "b.jsonl"), lines("b", 5));
  const run = await runCli(args);
  const reference = tempDir();
  await runEtl({ inputs: [input], outputDir: reference });
  return { run, out, reference };
}

describe("a state with a right checksum but wrong content is not trusted", () => {
  it("etl: an offset moved into the middle of a line means a full run, with the reason on stderr", async () => {
    const { run, out, reference } = await etlCase((s) => {
      s.files[0].offset -= 5;
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /incremental: full run \(state file is inconsistent \(.*a\.jsonl: offset \d+ is not at a line boundary\); ignored\)/,
    );
    expect(keys(out)).toEqual(keys(reference));
    expect(aggregates(out)).toEqual(aggregates(reference));
  });

  it("etl: committed_bytes off by a few means a full run, with the reason on stderr", async () => {
    for (const delta of [3, -2]) {
      const { run, out, reference } = await etlCase((s) => {
        s.events_output.committed_bytes += delta;
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /incremental: full run \(state file is inconsistent \(its committed bytes (\(\d+\) are not at an event boundary|run past the events file's end)/,
      );
      const bytes = readFileSync(join(out, "telemetry_events.json"));
      expect(bytes.includes(0)).toBe(false);
      expect(keys(out)).toEqual(keys(reference));
      expect(aggregates(out)).toEqual(aggregates(reference));
    }
  });

  it("etl: counts that disagree, or a shape the schema refuses, mean a full run", async () => {
    const cases: [(s: Record<string, any>) => void, string][] = [
      [
        (s) => {
          s.events_output.committed_events += 1;
        },
        "committed events",
      ],
      [
        (s) => {
          s.files[1].lines += 1;
        },
        "line counts do not add up",
      ],
      [
        (s) => {
          s.files[0].tally.valid = "40";
        },
        "does not match its schema at files.0.tally.valid",
      ],
      [
        (s) => {
          s.files[0].offset = -1;
        },
        "does not match its schema at files.0.offset",
      ],
      // The count runs have a check of their own (for speed): each way a run can be wrong.
      ...[
        (run: any[]) => {
          run[3][0] = 1.5;
        },
        (run: any[]) => {
          run[3].push(-1);
        },
        (run: any[]) => {
          run[3] = [];
        },
        (run: any[]) => {
          run.pop();
        },
        (run: any[]) => {
          run[2] = "2025-2-1";
        },
        (run: any[]) => {
          run[0] = 7;
        },
      ].map((edit): [(s: Record<string, any>) => void, string] => [
        (s) => edit(s.files[0].tally.counts[0]),
        "does not match its schema at files.0.tally.counts",
      ]),
    ];
    for (const [change, reason] of cases) {
      const { run, out, reference } = await etlCase(change);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(reason);
      expect(keys(out)).toEqual(keys(reference));
      expect(aggregates(out)).toEqual(aggregates(reference));
    }
  });

  it("etl: count runs or a time range of the right shape that cannot be the file's mean a full run", async () => {
    // Each would have made a wrong report: the schema checks a run's shape only.
    const cases: [(counts: any[], s: Record<string, any>) => void, string][] = [
      [
        (c) => {
          c[0][2] = "2025-02-30";
        },
        "its counts have no day 2025-02-30",
      ],
      [
        (c) => {
          c[0][2] = "9999-12-31";
          c[0][3] = [c[0][3][0], 0];
        },
        "its counts from 9999-12-31 run past 9999-12-31",
      ],
      [
        (c) => {
          c.push([c[0][0], c[0][1], c[0][2], [0]]);
        },
        `its counts of a day (2025-02-0`,
      ],
      [
        (c) => {
          c[0][3][0] += 1;
        },
        "its counts add up to 41 events, not its 40 valid",
      ],
      [
        (c) => {
          c[0][0] = "No Channel";
        },
        "its counts name a channel no event has",
      ],
      [
        (c) => {
          c[0][1] = "";
        },
        "its counts name an event no event has",
      ],
      [
        (c) => {
          c[0][1] = "x".repeat(201);
        },
        "its counts name an event no event has",
      ],
      [
        (c) => {
          c[0][1] = "a\ud800b";
        },
        "its counts name an event no event has",
      ],
      [
        (_c, s) => {
          s.files[0].tally.versions[0][1] += 1;
        },
        "its schema versions' counts do not add up to its valid events",
      ],
      [
        (_c, s) => {
          s.files[0].tally.first_timestamp = "2025-01-31T00:00:00.000Z";
        },
        "its first or last timestamp is not on the first or last day it counts",
      ],
      [
        (_c, s) => {
          s.files[0].tally.last_timestamp = "2025-02-05T25:00:00.000Z";
        },
        "its first or last timestamp is not a timestamp",
      ],
    ];
    for (const [change, reason] of cases) {
      const { run, out, reference } = await etlCase((s) => change(s.files[0].tally.counts, s));
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /incremental: full run \(state file is inconsistent \(.*a\.jsonl: /,
      );
      expect(run.stderr).toContain(reason);
      expect(keys(out)).toEqual(keys(reference));
      expect(aggregates(out)).toEqual(aggregates(reference));
    }
  });

  it("etl API: the reason is the outcome's, and a body that is not JSON is a full run too", async () => {
    const input = tempDir();
    const out = tempDir();
    writeFileSync(join(input, "a.jsonl"), lines("a", 10));
    const run = () => runEtl({ inputs: [input], outputDir: out, incremental: true });
    await run();
    tamper(join(out, ".etl-state.json"), (s) => {
      s.files[0].offset -= 1;
    });
    expect((await run()).incremental).toMatchObject({
      mode: "full",
      reason: expect.stringContaining("not at a line boundary"),
    });
    const text = "{not json";
    const sha256 = createHash("sha256").update(text).digest("hex");
    writeFileSync(
      join(out, ".etl-state.json"),
      `${JSON.stringify({ state_version: STATE_VERSION, sha256 })}\n${text}\n`,
    );
    expect((await run()).incremental).toMatchObject({ mode: "full" });
  });

  it("partitioned export: an offset moved into the middle of a line means a full export", async () => {
    const input = tempDir();
    const parts = join(tempDir(), "parts");
    writeFileSync(join(input, "a.jsonl"), lines("a", 30));
    const args = [...partitionedExportArgs(input, parts), "--incremental"];
    expect((await runCli(args)).code).toBe(0);
    tamper(join(parts, ".export-state.json"), (s) => {
      s.files[0].offset -= 7;
    });
    appendFileSync(join(input, "a.jsonl"), lines("a", 4));
    const run = await runCli(args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("not at a line boundary");
    const rows = await duckdbRows(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT payload->>'k')::INTEGER AS d
       FROM read_parquet('${parts}/**/*.parquet', hive_partitioning = true)`,
    );
    expect(rows).toEqual([{ n: 34, d: 34 }]);
    // A listed tail part that is gone is caught the same way, through the API.
    tamper(join(parts, ".export-state.json"), (s) => {
      s.tails = ["day=2099-01-01/part-00000.parquet"];
    });
    const again = await exportEvents({
      inputs: [input],
      output: parts,
      format: "parquet",
      partitionBy: "day",
      incremental: true,
    });
    expect(again.incremental).toMatchObject({
      mode: "full",
      reason: expect.stringContaining("is missing"),
    });
  });
});
