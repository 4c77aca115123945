// Taking a writer name over on purpose, claims that race, runs killed while claiming, and a
// takeover while the owner's run reads: real CLI processes and real datasets.
import { spawn } from "node:child_process";
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { planWriterClaim } from "../../src/exporter/plan/writer-plan.js";
import { SharedDataset } from "../../src/exporter/sinks/dataset/shared-dataset.js";
import { SharedRun } from "../../src/exporter/sinks/dataset/shared-run.js";
import { claimWriter } from "../../src/exporter/sinks/dataset/writer-ownership.js";
import { appendHostEvents, datasetRows } from "../helpers/fleet.js";
import { BIN, runBin } from "../helpers/run-bin.js";
import { type ChildResult, finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = fileURLToPath(new URL("../helpers/kill-after-rename.cjs", import.meta.url));

const exportArgs = (input: string, dataset: string, host: string, extra: string[] = []) => [
  "export",
  ...["-i", input, "-f", "parquet", "--partition-by", "channel,day", "-o", dataset],
  ...["--writer", "w", "--host", host, "--incremental", "-q", ...extra],
];

function fleet() {
  const base = tempDir();
  const [a, b] = [join(base, "in-a"), join(base, "in-b")];
  appendHostEvents(a, "web-1", 0, 20);
  appendHostEvents(b, "web-2", 0, 30);
  return { base, a, b, dataset: join(base, "events") };
}

// The rows a dataset holding only `input`'s events has (exported alone, into a dataset of its own).
async function rowsOfOnly(input: string, host: string): Promise<string[]> {
  const alone = join(tempDir(), "alone");
  expect((await runBin(exportArgs(input, alone, host))).code).toBe(0);
  return datasetRows(alone);
}

const owner = (dataset: string) =>
  JSON.parse(readFileSync(join(dataset, ".writers", "w.owner.json"), "utf8"));

describe("taking a writer name over", () => {
  it("--take-over-writer gives the name to a replacing host, says so, and refuses the old one from then on", async () => {
    const f = fleet();
    expect((await runBin(exportArgs(f.a, f.dataset, "web-1"))).code).toBe(0);
    const taken = await runBin(exportArgs(f.b, f.dataset, "web-2", ["--take-over-writer"]));
    expect(taken).toMatchObject({
      code: 0,
      stderr: "",
      stdout: expect.stringContaining(`\ntook writer w over from host web-1 reading ${f.a}\n`),
    });
    expect(owner(f.dataset)).toEqual({
      owner_version: 1,
      writer: "w",
      host: "web-2",
      inputs: [f.b],
    });
    // The name's files became the new producer's: its first run replaced them.
    expect(await datasetRows(f.dataset)).toEqual(await rowsOfOnly(f.b, "web-2"));
    appendHostEvents(f.b, "web-2", 30, 5);
    const again = await runBin(exportArgs(f.b, f.dataset, "web-2", ["--take-over-writer"]));
    expect(again).toMatchObject({ code: 0, stderr: "" });
    expect(again.stdout).not.toContain("took writer");
    const old = await runBin(exportArgs(f.a, f.dataset, "web-1"));
    expect(old.code).toBe(2);
    expect(old.stderr).toContain(
      `belongs to another producer (host web-2 reading ${f.b}); this run (host web-1 reading ${f.a})`,
    );
    expect(await datasetRows(f.dataset)).toEqual(await rowsOfOnly(f.b, "web-2"));
  }, 60_000);

  it("a takeover run that fails takes nothing: the owner, its rows and its runs stay as they were", async () => {
    const f = fleet();
    expect((await runBin(exportArgs(f.a, f.dataset, "web-1"))).code).toBe(0);
    const version = readlinkSync(f.dataset);
    const rows = await datasetRows(f.dataset);
    appendFileSync(join(f.b, "user.jsonl"), "not an event\n");
    const failed = await runBin(
      exportArgs(f.b, f.dataset, "web-2", ["--take-over-writer", "--strict"]),
    );
    expect(failed.code).toBe(3);
    expect(failed.stdout).not.toContain("took writer");
    expect(readlinkSync(f.dataset)).toBe(version);
    expect(owner(f.dataset)).toMatchObject({ host: "web-1", inputs: [f.a] });
    // The owner's next run is not refused, and continues.
    appendHostEvents(f.a, "web-1", 20, 3);
    expect(await runBin(exportArgs(f.a, f.dataset, "web-1"))).toMatchObject({
      code: 0,
      stderr: "",
    });
    const after = await datasetRows(f.dataset);
    expect(after).toEqual(expect.arrayContaining(rows));
    expect(after).toEqual(await rowsOfOnly(f.a, "web-1"));
  });

  it("a host only renamed takes its name back and its incremental runs continue, rows kept", async () => {
    const f = fleet();
    expect((await runBin(exportArgs(f.a, f.dataset, "web-1"))).code).toBe(0);
    const rows = await datasetRows(f.dataset);
    appendHostEvents(f.a, "web-1", 20, 4);
    const renamed = exportArgs(f.a, f.dataset, "web-1b", ["--take-over-writer"]).filter(
      (arg) => arg !== "-q",
    );
    const run = await runBin(renamed);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`took writer w over from host web-1 reading ${f.a}\n`);
    expect(run.stderr).toMatch(/\nincremental: read .* \(what was appended since the last run\)\n/);
    const now = await datasetRows(f.dataset);
    expect(now).toHaveLength(rows.length + 8);
    expect(now).toEqual(expect.arrayContaining(rows));
    expect(now).toEqual(await rowsOfOnly(f.a, "web-1b"));
  }, 60_000);

  it("refuses (exit 2) --host and --take-over-writer without --writer, and an empty --host or one with a control character", async () => {
    const f = fleet();
    const plain = ["export", "-i", f.a, "-f", "parquet", "--partition-by", "day", "-o", f.dataset];
    const cases: [string[], string][] = [
      [[...plain, "--host", "web-1"], "--host needs --writer (it names the host a writer runs on)"],
      [
        [...plain, "--take-over-writer"],
        "--take-over-writer needs --writer (the name to take over)",
      ],
      [
        exportArgs(f.a, f.dataset, "web\u00071"),
        "--host must be 1 to 255 characters, none of them a control character",
      ],
      [
        exportArgs(f.a, f.dataset, ""),
        "--host must be 1 to 255 characters, none of them a control character",
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runBin(args);
      expect(run).toMatchObject({ code: 2, stderr: `error: ${message}\n` });
    }
    expect(readdirSync(f.base).sort()).toEqual(["in-a", "in-b"]);
  });

  it("of two hosts claiming one new name at the same moment, exactly one is refused", async () => {
    for (let round = 0; round < 3; round++) {
      const f = fleet();
      const runs = await Promise.all([
        runBin(exportArgs(f.a, f.dataset, "web-1")),
        runBin(exportArgs(f.b, f.dataset, "web-2")),
      ]);
      expect(runs.map((r) => r.code).sort()).toEqual([0, 2]);
      const [won, lost] = runs[0]?.code === 0 ? ["web-1", runs[1]] : ["web-2", runs[0]];
      expect(lost?.stderr).toMatch(/^error: writer w of .* belongs to another producer \(host /);
      expect(owner(f.dataset).host).toBe(won);
      const input = won === "web-1" ? f.a : f.b;
      expect(await datasetRows(f.dataset)).toEqual(await rowsOfOnly(input, won));
      expect(readdirSync(join(f.base, ".events.dataset", "stage"))).toEqual([]);
    }
  }, 120_000);

  it("checks the claim again under the dataset's lock: a claim made meanwhile by another process wins", async () => {
    const f = fleet();
    // Opened before the other host claimed: it saw no owner.
    const dataset = await SharedDataset.open(f.dataset, true);
    expect((await runBin(exportArgs(f.a, f.dataset, "web-1"))).code).toBe(0);
    const version = readlinkSync(f.dataset);
    await expect(
      claimWriter(dataset, planWriterClaim("w", { host: "web-2" }, [f.b])),
    ).rejects.toMatchObject({
      code: "output_conflict",
      path: ["writer"],
      message: expect.stringContaining("belongs to another producer (host web-1 reading"),
    });
    expect(readlinkSync(f.dataset)).toBe(version);
  });

  it("a run whose name was taken over while it read commits nothing", async () => {
    const f = fleet();
    const mine = planWriterClaim("w", { host: "web-1" }, [f.a]);
    const dataset = await SharedDataset.open(f.dataset, true);
    await claimWriter(dataset, mine);
    const run = await SharedRun.start(dataset, mine, undefined, undefined);
    await run.writeFile("channel=user/day=2025-03-01/part-00000-x-w.parquet", new Uint8Array([1]));
    const taken = await runBin(exportArgs(f.b, f.dataset, "web-2", ["--take-over-writer"]));
    expect(taken.code).toBe(0);
    const version = readlinkSync(f.dataset);
    await expect(run.commit()).rejects.toMatchObject({
      code: "output_conflict",
      path: ["writer"],
      message: `writer w of ${f.dataset} was taken over by host web-2 reading ${f.b} while this run ran; nothing was committed`,
    });
    expect(readlinkSync(f.dataset)).toBe(version);
    expect(readdirSync(join(f.base, ".events.dataset", "stage"))).toEqual([]);
  });

  it("a run killed right after claiming the name, or after publishing, leaves it its host's", async () => {
    const f = fleet();
    const killed = (args: string[]): Promise<ChildResult> =>
      finished(
        spawn(process.execPath, ["--require", hook, BIN, ...args], {
          env: { ...process.env, KILL_AFTER_RENAME: `${f.dataset}$` },
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
    // The first rename onto the dataset is the claim's; on a name already owned, the export's.
    expect((await killed(exportArgs(f.a, f.dataset, "web-1"))).signal).toBe("SIGKILL");
    expect(owner(f.dataset).host).toBe("web-1");
    expect((await killed(exportArgs(f.a, f.dataset, "web-1"))).signal).toBe("SIGKILL");
    const other = await runBin(exportArgs(f.b, f.dataset, "web-2"));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("belongs to another producer (host web-1 reading");
    appendHostEvents(f.a, "web-1", 20, 3);
    expect(await runBin(exportArgs(f.a, f.dataset, "web-1"))).toMatchObject({
      code: 0,
      stderr: "",
    });
    expect(await datasetRows(f.dataset)).toEqual(await rowsOfOnly(f.a, "web-1"));
  }, 60_000);
});
