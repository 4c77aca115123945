// Every output the exporter writes for the committed sample and the malformed corpus, as SHA-256
// digests: a restructuring must leave them byte-identical. `generated_at` is pinned by the clock.
// After an intended output change, UPDATE_DIGESTS=1 rewrites the digests file (review its diff).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  aggregateEvents,
  exportEvents,
  formatReportSummary,
  runEtl,
  writeHtmlReport,
} from "../../src/exporter/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const digestsPath = join(root, "test/fixtures/byte-identity/digests.json");
const now = () => new Date("2025-03-08T12:00:00.000Z");

const corpora = {
  sample: { inputs: ["reports/telemetry"], maxLineBytes: undefined },
  malformed: { inputs: ["test/fixtures/malformed"], maxLineBytes: 512 },
} as const;

function digestTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
      return;
    }
    const bytes = readFileSync(path);
    out[relative(dir, path)] = createHash("sha256").update(bytes).digest("hex");
  };
  walk(dir);
  return out;
}

async function outputsOf(corpus: keyof typeof corpora): Promise<Record<string, string>> {
  const { inputs, maxLineBytes } = corpora[corpus];
  const read = { inputs: [...inputs], maxLineBytes };
  const out = tempDir();
  for (const format of ["json", "jsonl", "parquet"] as const) {
    await exportEvents({ ...read, format, output: join(out, `events.${format}`) });
  }
  await exportEvents({
    ...read,
    format: "parquet",
    partitionBy: "channel,day",
    output: join(out, "partitioned"),
  });
  await exportEvents({
    ...read,
    format: "parquet",
    partitionBy: "day",
    incremental: true,
    output: join(out, "partitioned-incremental"),
  });
  await aggregateEvents({
    ...read,
    now,
    output: join(out, "aggregates.json"),
    diagnosticsFile: join(out, "diagnostics.jsonl"),
  });
  await aggregateEvents({
    ...read,
    now,
    filters: { channels: ["user"], since: "2025-03-03" },
    output: join(out, "filtered.json"),
  });
  await runEtl({ ...read, now, outputDir: join(out, "etl") });
  await runEtl({ ...read, now, outputDir: join(out, "etl-incremental"), incremental: true });
  const { report } = await writeHtmlReport({
    ...read,
    now,
    title: "Identity",
    output: join(out, "report.html"),
  });
  writeFileSync(join(out, "summary.txt"), formatReportSummary(report, { width: 100 }));
  // Part files are named per run: the run's id is replaced by a placeholder.
  const digests = Object.fromEntries(
    Object.entries(digestTree(out)).map(([name, digest]) => [
      name.replace(/-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\.parquet$/, "-RUN.parquet"),
      digest,
    ]),
  );
  // State files hold device and inode numbers: they differ on every run by design.
  for (const name of Object.keys(digests)) {
    if (name.endsWith(".etl-state.json") || name.endsWith(".export-state.json")) {
      digests[name] = "state";
    }
    // Our _SUCCESS lists the export's files (tested in partitioned-ownership.test.ts); the
    // files it lists are digested here one by one.
    if (name.endsWith("/_SUCCESS")) digests[name] = "manifest";
  }
  return digests;
}

describe("outputs stay byte-identical (sample data and malformed corpus)", () => {
  it("writes the committed digests for every output", { timeout: 60_000 }, async () => {
    const actual = {
      sample: await outputsOf("sample"),
      malformed: await outputsOf("malformed"),
    };
    if (process.env.UPDATE_DIGESTS === "1") {
      writeFileSync(digestsPath, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const expected = JSON.parse(readFileSync(digestsPath, "utf8"));
    expect(actual).toEqual(expected);
  });
});
