// A writer name of a shared dataset belongs to one producer (host and inputs): another producer
// under the same name would replace its files, silently. Real CLI processes, real datasets.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { appendHostEvents, datasetRows, rowsOf } from "../helpers/fleet.js";
import { BIN, runBin } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

const exportArgs = (input: string, dataset: string, extra: readonly string[]) => [
  "export",
  ...["-i", input, "-f", "parquet", "--partition-by", "channel,day", "-o", dataset],
  ...["--writer", "w", "-q", ...extra],
];

// One host's events exported alone (a single-writer export): what its writer's rows must be.
async function rowsAlone(input: string): Promise<string[]> {
  const output = join(tempDir(), "alone");
  await exportEvents({ inputs: [input], format: "parquet", output, partitionBy: "channel,day" });
  return rowsOf([`${output}/**/*.parquet`]);
}

/** Two hosts' inputs and a dataset beside them. */
function fleet() {
  const base = tempDir();
  const [a, b] = [join(base, "in-a"), join(base, "in-b")];
  appendHostEvents(a, "web-1", 0, 20);
  appendHostEvents(b, "web-2", 0, 30);
  const dataset = join(base, "events");
  const store = join(base, ".events.dataset");
  // What readers see, and what is kept beside it: a refused run must change neither.
  const look = async () => ({
    version: readlinkSync(dataset),
    versions: readdirSync(join(store, "versions")),
    stage: readdirSync(join(store, "stage")),
    rows: await datasetRows(dataset),
  });
  return { a, b, dataset, store, look };
}

const refusal = (dataset: string, owner: string, run: string) =>
  `error: writer w of ${dataset} belongs to another producer (${owner}); this run (${run}) would replace that producer's files; nothing was written. Give this producer its own --writer name, or take the name over with --take-over-writer (its files then become this producer's to replace)\n`;

describe("a writer name of a shared dataset belongs to one producer", () => {
  it("refuses (exit 2) a second host under the same name, in every mode, before anything is written", async () => {
    const f = fleet();
    const first = await runBin(exportArgs(f.a, f.dataset, ["--incremental", "--host", "web-1"]));
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const before = await f.look();
    expect(before.rows).toEqual(await rowsAlone(f.a));
    const expected = refusal(f.dataset, `host web-1 reading ${f.a}`, `host web-2 reading ${f.b}`);
    for (const mode of [["--incremental"], [], ["--incremental", "--full"]]) {
      const second = await runBin(exportArgs(f.b, f.dataset, [...mode, "--host", "web-2"]));
      expect(second).toMatchObject({ code: 2, stdout: "", stderr: expected });
    }
    expect(await f.look()).toEqual(before);
    // The library's error carries the option, as zod issues do.
    await expect(
      exportEvents({
        inputs: [f.b],
        format: "parquet",
        output: f.dataset,
        partitionBy: "channel,day",
        writer: "w",
        host: "web-2",
      }),
    ).rejects.toMatchObject({ name: "TelemetryError", code: "output_conflict", path: ["writer"] });
    expect(await f.look()).toEqual(before);
  }, 60_000);

  it("refuses (exit 2) another input set of the same host under the same name, losing nothing", async () => {
    const f = fleet();
    expect((await runBin(exportArgs(f.a, f.dataset, ["--incremental"]))).code).toBe(0);
    const before = await f.look();
    const other = await runBin(exportArgs(f.b, f.dataset, ["--incremental"]));
    const host = hostname();
    expect(other).toMatchObject({
      code: 2,
      stderr: refusal(f.dataset, `host ${host} reading ${f.a}`, `host ${host} reading ${f.b}`),
    });
    expect(await f.look()).toEqual(before);
  }, 60_000);

  it("never refuses its owner: incremental, full, --full, its inputs spelled otherwise, after a compaction", async () => {
    const f = fleet();
    const owner = (extra: string[], cwd = ROOT, input = f.a) =>
      finished(
        spawn(process.execPath, [BIN, ...exportArgs(input, f.dataset, extra)], {
          cwd,
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
    const small = ["--row-group-size", "5", "--host", "web-1"];
    expect(await owner(["--incremental", ...small])).toMatchObject({ code: 0, stderr: "" });
    appendHostEvents(f.a, "web-1", 20, 10);
    expect(await owner(["--incremental", ...small])).toMatchObject({ code: 0, stderr: "" });
    expect(await owner(["--incremental", "--full", ...small])).toMatchObject({ code: 0 });
    expect(await owner(small)).toMatchObject({ code: 0, stderr: "" });
    // From another directory, relative and with a trailing slash: the same inputs.
    const spelled = `${relative(f.store, f.a)}/`;
    expect(await owner(["--incremental", ...small], f.store, spelled)).toMatchObject({ code: 0 });
    const compacted = await runBin(["compact", f.dataset]);
    expect(compacted).toMatchObject({ code: 0, stdout: expect.stringMatching(/^compacted \d+/) });
    appendHostEvents(f.a, "web-1", 30, 5);
    expect(await owner(["--incremental", ...small])).toMatchObject({ code: 0, stderr: "" });
    expect(await datasetRows(f.dataset)).toEqual(await rowsAlone(f.a));
    // A later version's record (more fields) still names the same producer.
    const record = join(f.dataset, ".writers", "w.owner.json");
    const later = { ...JSON.parse(readFileSync(record, "utf8")), owner_version: 2, since: "x" };
    rmSync(record);
    writeFileSync(record, JSON.stringify(later));
    expect(await owner(["--incremental", ...small])).toMatchObject({ code: 0, stderr: "" });
    // And another host is still refused.
    const other = await runBin(exportArgs(f.b, f.dataset, ["--incremental", "--host", "web-2"]));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("belongs to another producer (host web-1 reading");
  }, 90_000);

  it("keeps a dataset written before owners were recorded working: its writer's next run claims the name", async () => {
    const f = fleet();
    expect((await runBin(exportArgs(f.a, f.dataset, ["--incremental"]))).code).toBe(0);
    // What the previous version left: the same dataset, without the owner record.
    rmSync(join(f.dataset, ".writers", "w.owner.json"));
    appendHostEvents(f.a, "web-1", 20, 4);
    const next = await runBin(
      exportArgs(f.a, f.dataset, ["--incremental"]).filter((a) => a !== "-q"),
    );
    expect(next.code).toBe(0);
    expect(next.stderr).toContain("incremental: read ");
    expect(next.stderr).not.toContain("full run");
    expect(JSON.parse(readFileSync(join(f.dataset, ".writers", "w.owner.json"), "utf8"))).toEqual({
      owner_version: 1,
      writer: "w",
      host: hostname(),
      inputs: [f.a],
    });
    expect(await datasetRows(f.dataset)).toEqual(await rowsAlone(f.a));
    const before = await f.look();
    const other = await runBin(exportArgs(f.b, f.dataset, ["--incremental"]));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      `belongs to another producer (host ${hostname()} reading ${f.a})`,
    );
    expect(await f.look()).toEqual(before);
  }, 60_000);

  it("refuses (exit 2) a writer whose owner record cannot be read, until it is taken over", async () => {
    const f = fleet();
    expect((await runBin(exportArgs(f.a, f.dataset, []))).code).toBe(0);
    const record = join(f.dataset, ".writers", "w.owner.json");
    rmSync(record);
    writeFileSync(record, "{torn");
    const before = await f.look();
    const run = await runBin(exportArgs(f.a, f.dataset, []));
    expect(run).toMatchObject({
      code: 2,
      stderr: `error: writer w of ${f.dataset} has an owner record that cannot be read (${record}: not JSON); nothing was written. Give this producer its own --writer name, or take the name over with --take-over-writer (its files then become this producer's to replace)\n`,
    });
    expect(await f.look()).toEqual(before);
    expect((await runBin(exportArgs(f.a, f.dataset, ["--take-over-writer"]))).code).toBe(0);
    expect((await runBin(exportArgs(f.a, f.dataset, []))).code).toBe(0);
  }, 60_000);
});
