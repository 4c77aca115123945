// A shared dataset is a link to a version kept in `.<name>.dataset/` beside it. Renaming the link
// (`mv events events-2025`) leaves a dataset readers still open, its versions in the store named
// after the old path: a first export into the old path must not take that store for its own and
// remove the versions the renamed link reads. Real CLI processes, real datasets.
import { existsSync, mkdirSync, readlinkSync, renameSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendHostEvents, datasetRows } from "../helpers/fleet.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const exportArgs = (input: string, dataset: string, writer: string) => [
  "export",
  ...["-i", input, "-f", "parquet", "--partition-by", "channel,day", "-o", dataset],
  ...["--writer", writer, "--host", writer, "-q"],
];

describe("a shared dataset whose link was renamed", () => {
  it("is not emptied by an export into its old path (exit 2, both links as they were)", async () => {
    const base = tempDir();
    const [a, b] = [join(base, "in-a"), join(base, "in-b")];
    appendHostEvents(a, "web-1", 0, 20);
    appendHostEvents(b, "web-2", 0, 30);
    const dataset = join(base, "events");
    expect(await runBin(exportArgs(a, dataset, "web-1"))).toMatchObject({ code: 0, stderr: "" });
    const rows = await datasetRows(dataset);
    expect(rows.length).toBeGreaterThan(0);

    const moved = join(base, "events-2025");
    renameSync(dataset, moved);
    const version = readlinkSync(moved);
    expect(await datasetRows(moved)).toEqual(rows);

    // Another host's cron job still exports into the old path.
    const late = await runBin(exportArgs(b, dataset, "web-2"));
    expect(late).toMatchObject({
      code: 2,
      stdout: "",
      stderr: `error: ${dataset} is missing, but the shared dataset ${moved} keeps its versions in ${join(base, ".events.dataset")} (its link was renamed); nothing was written. Rename it back to ${dataset} to export into it, or export into another path\n`,
    });
    expect(existsSync(dataset)).toBe(false);
    expect(readlinkSync(moved)).toBe(version);
    expect(await datasetRows(moved)).toEqual(rows);

    // Nor is the renamed link changed, by an export or a compaction: both say what it is.
    const store = join(base, ".events.dataset");
    const renamed = `error: ${moved} is the shared dataset ${dataset} renamed (its versions are in ${store}); refusing to change it. Rename it back to ${dataset} to change it\n`;
    const into = await runBin(exportArgs(a, moved, "web-1"));
    expect(into).toMatchObject({ code: 2, stdout: "", stderr: renamed });
    const compact = await runBin(["compact", moved, "-q"]);
    expect(compact).toMatchObject({ code: 2, stdout: "", stderr: renamed });
    expect(readlinkSync(moved)).toBe(version);
    expect(await datasetRows(moved)).toEqual(rows);

    // Moved to another directory, the link reads nothing: no dataset to name.
    mkdirSync(join(base, "sub"));
    const away = join(base, "sub", "ev");
    renameSync(moved, away);
    const lost = await runBin(exportArgs(a, away, "web-1"));
    expect(lost).toMatchObject({
      code: 2,
      stderr: `error: ${away} is not a shared dataset (one written with a writer name); refusing to change it\n`,
    });
    renameSync(away, moved);

    // Renamed back, it takes exports again.
    renameSync(moved, dataset);
    expect(await runBin(exportArgs(b, dataset, "web-2"))).toMatchObject({ code: 0, stderr: "" });
    const both = await datasetRows(dataset);
    expect(both.length).toBeGreaterThan(rows.length);
    expect(both).toEqual(expect.arrayContaining(rows));
  });

  it("is not mistaken for the link a first publish killed before its rename left", async () => {
    const base = tempDir();
    const a = join(base, "in-a");
    appendHostEvents(a, "web-1", 0, 20);
    const dataset = join(base, "events");
    // What a first publish SIGKILLed between its symlink(2) and its rename(2) leaves.
    const id = "0b6f7a52-3c1e-4d2a-9f4e-5a6b7c8d9e0f";
    mkdirSync(join(base, ".events.dataset", "versions", id), { recursive: true });
    symlinkSync(join(".events.dataset", "versions", id), join(base, `.events.${id}.link`));
    expect(await runBin(exportArgs(a, dataset, "web-1"))).toMatchObject({ code: 0, stderr: "" });
    expect((await datasetRows(dataset)).length).toBeGreaterThan(0);
  });
});
