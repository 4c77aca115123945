import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { partitionedExportArgs } from "../helpers/cli.js";
import { waitForExit } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const bin = fileURLToPath(new URL("../../bin/telemetry-exporter.cjs", import.meta.url));

function input(lines: number): string {
  const dir = tempDir();
  const line = (i: number) =>
    `{"schema_version":"telemetry_event_v1","channel":"user","event":"e${i % 50}","timestamp":"2025-03-01T10:00:00.000Z","payload":{"i":${i},"pad":"${"q".repeat(200)}"}}\n`;
  const chunk = Array.from({ length: Math.min(lines, 10_000) }, (_, i) => line(i)).join("");
  writeFileSync(join(dir, "user.jsonl"), chunk.repeat(Math.max(1, lines / 10_000)));
  return dir;
}

const run = (args: string[]) =>
  spawn(process.execPath, [bin, ...args, "-q"], { stdio: ["ignore", "ignore", "pipe"] });

// SIGKILL cannot be handled: whatever the run was writing stays, as after a power cut.
async function killWhenWriting(child: ChildProcess, dir: string, temp: RegExp): Promise<void> {
  const writing = () => readdirSync(dir).some((f) => temp.test(f));
  const deadline = Date.now() + 20_000;
  while (!writing() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(writing()).toBe(true);
  child.kill("SIGKILL");
  expect((await waitForExit(child)).signal).toBe("SIGKILL");
}

async function succeeds(child: ChildProcess): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const { code } = await waitForExit(child);
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
}

describe("a run holding the lock removes what killed runs left", () => {
  it("etl: temp files of dead processes and stale lock files go; other files stay", async () => {
    const out = tempDir();
    const killed = run(["etl", "-i", input(200_000), "--output-dir", out]);
    await killWhenWriting(killed, out, /^\.telemetry_events\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    const dead = killed.pid as number;
    const lockText = (pid: number) => `${JSON.stringify({ pid, host: hostname(), token: "t" })}\n`;
    // As a run killed while taking the lock (or breaking a stale one) leaves them.
    writeFileSync(join(out, ".etl.lock.0123456789abcdef.tmp"), lockText(dead));
    writeFileSync(join(out, ".etl.lock.fedcba9876543210.stale"), lockText(dead));
    // Not leftovers of a dead run: a live process's temp, a live holder's lock temp, look-alikes.
    const kept = [
      `.telemetry_events.json.${process.pid}.0badc0de.tmp`,
      ".etl.lock.00000000000000aa.tmp",
      ".telemetry_events.json.notes.tmp",
      `.other.json.${dead}.0badc0de.tmp`,
      "mine.tmp",
    ];
    for (const name of kept) {
      writeFileSync(join(out, name), name.includes(".etl.lock.") ? lockText(process.pid) : "x");
    }
    const left = readdirSync(out);
    expect(left).toContain(".etl.lock");
    expect(left.filter((f) => f.startsWith(`.telemetry_events.json.${dead}.`))).toHaveLength(1);

    await succeeds(run(["etl", "-i", input(10), "--output-dir", out]));
    expect(readdirSync(out).sort()).toEqual(
      [
        ...kept,
        "telemetry_aggregates.json",
        "telemetry_events.json",
        "telemetry_report.html",
      ].sort(),
    );
  }, 60_000);

  it("partitioned export: the temp directory of a dead run and an export set aside go", async () => {
    const out = tempDir();
    const output = join(out, "events");
    const killed = run([
      ...partitionedExportArgs(input(200_000), output),
      "--row-group-size",
      "500",
    ]);
    await killWhenWriting(killed, out, /^\.events\.\d+\.[0-9a-f]{8}\.tmp$/);
    expect(readdirSync(out)).toContain(".events.lock");
    // As a run killed between setting the previous export aside and removing it leaves it.
    mkdirSync(join(out, ".events.old.0123abcd", "day=2025-03-01"), { recursive: true });
    writeFileSync(join(out, ".events.old.0123abcd", "day=2025-03-01", "part-0.parquet"), "x");
    mkdirSync(join(out, ".events.old.notes"));

    await succeeds(run(partitionedExportArgs(input(10), output)));
    expect(readdirSync(out).sort()).toEqual([".events.old.notes", "events"]);
  }, 60_000);
});

describe("a run writing a file output, which takes no lock, removes stale leftovers", () => {
  it("export -o FILE: a dead run's temp file nothing wrote for an hour goes; the rest stay", async () => {
    const out = tempDir();
    const target = join(out, "events.json");
    const killed = run(["export", "-i", input(200_000), "-o", target]);
    await killWhenWriting(killed, out, /^\.events\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    const dead = killed.pid as number;
    const [temp] = readdirSync(out);
    expect(temp).toMatch(new RegExp(`^\\.events\\.json\\.${dead}\\.[0-9a-f]{8}\\.tmp$`));
    const hoursAgo = (path: string, hours: number) => {
      const at = new Date(Date.now() - hours * 3_600_000);
      utimesSync(path, at, at);
    };
    hoursAgo(join(out, temp as string), 2);
    // Not stale: written within the hour (a run elsewhere may be writing it), a live process's,
    // another output's, a directory, a look-alike.
    const kept = [
      `.events.json.${dead}.0badc0de.tmp`,
      `.events.json.${process.pid}.0badc0de.tmp`,
      `.other.json.${dead}.0badc0de.tmp`,
      ".events.json.notes.tmp",
    ];
    for (const name of kept) writeFileSync(join(out, name), "x");
    mkdirSync(join(out, `.events.json.${dead}.deadbeef.tmp`));
    kept.push(`.events.json.${dead}.deadbeef.tmp`);
    for (const name of kept.slice(1)) hoursAgo(join(out, name), 2);

    await succeeds(run(["export", "-i", input(10), "-o", target]));
    expect(readdirSync(out).sort()).toEqual([...kept, "events.json"].sort());
  }, 60_000);
});
