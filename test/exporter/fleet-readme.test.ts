import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { appendHostEvents, datasetFiles } from "../helpers/fleet.js";
import { BIN } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

// The fenced blocks of the fleet section (docs/operations.md, linked from the README), in order,
// by language.
function fleetBlocks(): { bash: string[]; sql: string[] } {
  const readme = readFileSync(join(root, "docs", "operations.md"), "utf8");
  const start = readme.indexOf("## When one machine is not enough");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const shared = section.slice(0, section.indexOf("**Or collect the Tracker directories"));
  const blocks = [...shared.matchAll(/```(bash|sql)\n([\s\S]*?)```/g)];
  const of = (lang: string) => blocks.filter((m) => m[1] === lang).map((m) => m[2] as string);
  return { bash: of("bash"), sql: of("sql") };
}

// Runs a block with bash in `cwd`; `telemetry-exporter` is the built CLI and `hostname` says
// `host`, as on that host.
function runBlock(block: string, cwd: string, bin: string, host: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", block], {
      cwd,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_HOST: host },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("error", reject);
    child.on("close", resolve);
  });
}

describe("the README's fleet workflow", () => {
  it("runs as written: three hosts export into one dataset, one compacts, DuckDB counts the union", async () => {
    const { bash, sql } = fleetBlocks();
    expect(bash).toHaveLength(2);
    expect(sql).toHaveLength(1);
    const base = tempDir();
    const mount = (text: string) => text.replaceAll("/mnt/telemetry", join(base, "mnt"));
    const bin = join(base, "bin");
    const shim = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    mkdirSync(bin);
    shim("telemetry-exporter", `exec "${process.execPath}" "${BIN}" "$@"`);
    shim("hostname", 'echo "$FAKE_HOST"');
    const hosts = ["web-1", "web-2", "worker-1"];
    const home = (host: string) => join(base, host);
    // Two rounds of the hourly cron on every host at once, events appended in between.
    for (const [round, from] of [0, 40].entries()) {
      for (const host of hosts)
        appendHostEvents(join(home(host), "reports/telemetry"), host, from, 40 - 10 * round);
      const codes = await Promise.all(
        hosts.map((host) => runBlock(mount(bash[0] as string), home(host), bin, host)),
      );
      expect(codes).toEqual([0, 0, 0]);
    }
    const dataset = join(base, "mnt", "events");
    const filesBefore = await datasetFiles(dataset);
    expect(await runBlock(mount(bash[1] as string), home("web-1"), bin, "web-1")).toBe(0);
    expect(await datasetFiles(dataset)).toBeLessThan(filesBefore);

    // The union, as single-writer exports of each host's events give it.
    const alone = join(base, "alone");
    await exportEvents({
      inputs: hosts.map((host) => join(home(host), "reports/telemetry")),
      format: "parquet",
      output: alone,
      partitionBy: "channel,day",
    });
    const query = mount(sql[0] as string);
    const expected = await duckdbRows(query.replace(join(base, "mnt", "events"), alone));
    expect(expected.reduce((n, r) => n + Number(r.events), 0)).toBe(3 * 2 * 70);
    expect(await duckdbRows(query)).toEqual(expected);
  }, 120_000);
});
