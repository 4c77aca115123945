// The Parquet encoder's thread that cannot start, in real processes of the built CLI: the thread
// is only where the encoding runs, so the run encodes in its main thread and writes the same
// files. Before this held, such an export or compaction failed ("Parquet encoder crashed: …").
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { FILES, PER_FILE, runWithFaults, writeInput } from "../helpers/reader-faults.js";

// A few runs of the CLI each: seconds, more on a busy host.
const TIMEOUT_MS = 120_000;

const FAULTS: Record<string, Record<string, string>> = {
  "its heap is too small for its code (ERR_WORKER_OUT_OF_MEMORY)": { ENCODER_START_OOM: "1" },
  "the OS refuses it (ERR_WORKER_INIT_FAILED, injected)": { ENCODER_START_THROW: "1" },
};

// Every row of a dataset, as DuckDB reads it, in one order.
const rowsOf = (dataset: string) =>
  duckdbRows(
    `SELECT channel, event, CAST(timestamp AS VARCHAR) AS ts, payload
     FROM read_parquet('${dataset}/**/*.parquet', hive_partitioning = true) ORDER BY ts, event`,
  );

let input = "";
let root = "";

// A single file, then a dataset of one-row parts, then that dataset compacted.
async function exports(env: Record<string, string>) {
  // The same path each time, as outputs are named on stdout.
  const out = join(root, "out");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const file = join(out, "events.parquet");
  const single = await runWithFaults(["export", "-f", "parquet", "-i", input, "-o", file], env);
  const dataset = join(out, "dataset");
  const partitioned = await runWithFaults(
    [
      ...["export", "-f", "parquet", "-i", input, "--partition-by", "channel,day"],
      ...["-o", dataset, "--writer", "host-1", "--row-group-size", "1", "-q"],
    ],
    env,
  );
  const parts = await rowsOf(dataset);
  const compacted = await runWithFaults(["compact", dataset], env, null);
  return {
    single,
    bytes: readFileSync(file),
    partitioned,
    parts,
    compacted,
    rows: await rowsOf(dataset),
  };
}

let expected: Awaited<ReturnType<typeof exports>>;

beforeAll(async () => {
  // Not tempDir(): that one is removed after each test, and every test reads this input.
  root = mkdtempSync(join(tmpdir(), "telemetry-encoder-start-"));
  input = join(root, "in");
  writeInput(input);
  expected = await exports({});
  // The input's invalid line is reported, and the valid ones exported.
  expect(expected.single.code).toBe(0);
  expect(expected.single.stderr).toContain("invalid_json");
  expect(expected.partitioned.code).toBe(0);
  expect(expected.compacted).toMatchObject({ code: 0, stderr: "" });
  expect(expected.compacted.stdout).toMatch(/^compacted \d+ part files into \d+ /);
  expect(expected.parts.length).toBe(FILES * PER_FILE);
}, TIMEOUT_MS);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the Parquet encoder's thread cannot start", () => {
  for (const [fault, env] of Object.entries(FAULTS)) {
    it(
      `${fault}: the export, a partitioned export and compact encode in the main thread, and write the same rows`,
      async () => {
        const got = await exports(env);
        expect(got.single).toEqual(expected.single);
        expect(got.bytes.equals(expected.bytes)).toBe(true);
        expect(got.partitioned.code).toBe(expected.partitioned.code);
        expect(got.parts).toEqual(expected.parts);
        expect(got.compacted).toMatchObject({ code: 0, stderr: "" });
        expect(got.compacted.stdout).toBe(expected.compacted.stdout);
        expect(got.rows).toEqual(expected.rows);
      },
      TIMEOUT_MS,
    );
  }
});

describe("the Parquet encoder's thread ends after it started", () => {
  it(
    "fails the export, exit 1, saying so, and leaves the output as it was",
    async () => {
      const out = join(root, "died");
      mkdirSync(out, { recursive: true });
      const file = join(out, "events.parquet");
      const args = ["export", "-f", "parquet", "-i", input, "-o", file];
      expect((await runWithFaults(args, {})).code).toBe(0);
      const before = readFileSync(file);
      const died = await runWithFaults(args, { ENCODER_DIE_AT: "1" });
      expect(died.code).toBe(1);
      expect(died.stderr).toContain("error: Parquet encoder exited with code 7");
      expect(readFileSync(file).equals(before)).toBe(true);
    },
    TIMEOUT_MS,
  );
});
