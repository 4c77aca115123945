import { mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents, runEtl } from "../../src/exporter/index.js";
import { withDatasetLock } from "../../src/exporter/sinks/dataset/dataset-lock.js";
import { RunLock } from "../../src/exporter/state/run-lock.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { startTs, waitForExit, waitForLine } from "../helpers/spawn-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const HOLDER = "test/fixtures/processes/hold-lock.ts";

async function sample() {
  const input = tempDir();
  await recordSample(input, 12);
  return { input, out: tempDir() };
}

describe("the run lock of an output", () => {
  it("a second etl run fails at once with --lock-wait 0 while another holds the lock (exit 1)", async () => {
    const { input, out } = await sample();
    const holder = startTs(HOLDER, [join(out, ".etl.lock"), "60000"]);
    try {
      await waitForLine(holder, /locked/);
      const run = await runCli([
        "etl",
        "--incremental",
        "-i",
        input,
        "--output-dir",
        out,
        "--lock-wait",
        "0",
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(
          `the output is in use by another run \\(pid ${holder.pid} on .+ since .+; lock .+\\.etl\\.lock\\)`,
        ),
      );
      await expect(
        runEtl({ inputs: [input], outputDir: out, incremental: true, lockWaitMs: 0 }),
      ).rejects.toMatchObject({ code: "output_locked" });
      // A partitioned export locks the directory's name beside it.
      const parts = join(out, "parts");
      const other = startTs(HOLDER, [join(out, ".parts.lock"), "60000"]);
      await waitForLine(other, /locked/);
      const exported = await runCli([
        ...partitionedExportArgs(input, parts),
        "--incremental",
        "--lock-wait",
        "0",
      ]);
      expect(exported.code).toBe(1);
      expect(exported.stderr).toContain("in use by another run");
      other.kill("SIGKILL");
      await waitForExit(other);
    } finally {
      holder.kill("SIGKILL");
      await waitForExit(holder);
    }
  });

  it("a second run waits (bounded) for the first to finish, then runs", async () => {
    const { input, out } = await sample();
    const holder = startTs(HOLDER, [join(out, ".etl.lock"), "700"]);
    await waitForLine(holder, /locked/);
    const started = Date.now();
    const run = await runCli([
      "etl",
      "--incremental",
      "-i",
      input,
      "--output-dir",
      out,
      "-q",
      "--lock-wait",
      "20",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(200);
    expect((await waitForExit(holder)).code).toBe(0);
  });

  it("a lock left by a killed process does not block the next run", async () => {
    const { input, out } = await sample();
    const holder = startTs(HOLDER, [join(out, ".etl.lock"), "60000"]);
    await waitForLine(holder, /locked/);
    holder.kill("SIGKILL");
    await waitForExit(holder);
    const run = await runCli([
      "etl",
      "--incremental",
      "-i",
      input,
      "--output-dir",
      out,
      "-q",
      "--lock-wait",
      "0",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const parts = join(out, "parts");
    const other = startTs(HOLDER, [join(out, ".parts.lock"), "60000"]);
    await waitForLine(other, /locked/);
    other.kill("SIGKILL");
    await waitForExit(other);
    await expect(
      exportEvents({
        inputs: [input],
        output: parts,
        format: "parquet",
        partitionBy: "day",
        incremental: true,
        lockWaitMs: 0,
      }),
    ).resolves.toMatchObject({ events: 14 });
  });

  it("a lock of a live holder goes stale once not refreshed for the stale time (another host, reused pid)", async () => {
    const path = join(tempDir(), "x.lock");
    const at = Date.parse("2026-01-01T00:00:00Z");
    writeFileSync(
      path,
      `${JSON.stringify({ pid: 1, host: "elsewhere", token: "t", since: "then" })}\n`,
    );
    utimesSync(path, at / 1000, at / 1000);
    const isAlive = () => true;
    await expect(
      RunLock.acquire(path, { waitMs: 0, staleMs: 60_000, now: () => at + 59_000, isAlive }),
    ).rejects.toMatchObject({ code: "output_locked" });
    const lock = await RunLock.acquire(path, {
      waitMs: 0,
      staleMs: 60_000,
      now: () => at + 61_000,
      isAlive,
    });
    await lock.assertHeld();
    await lock.release();
  });

  it("a lock path it cannot read (a directory of other files in its place) ends the wait at the deadline, not in a busy loop", async () => {
    const path = join(tempDir(), "x.lock");
    mkdirSync(path);
    writeFileSync(join(path, "not-a-token"), "");
    const started = Date.now();
    await expect(RunLock.acquire(path, { waitMs: 200 })).rejects.toMatchObject({
      code: "output_locked",
    });
    // The old loop retried at once forever; an upper bound far above the wait is enough here.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("a symbolic link in the lock's place (to an empty directory) ends the wait at the deadline, not in a busy loop", async () => {
    const directory = tempDir();
    mkdirSync(join(directory, "empty"));
    const path = join(directory, "x.lock");
    symlinkSync("empty", path);
    // Read as an empty lock (a holder killed while releasing) that no rename replaces, it spun.
    await expect(RunLock.acquire(path, { waitMs: 200 })).rejects.toMatchObject({
      code: "output_locked",
    });
  });

  it("the dataset lock ends its wait the same way", async () => {
    const path = join(tempDir(), "lock");
    mkdirSync(path);
    writeFileSync(join(path, "not-a-token"), "");
    await expect(withDatasetLock(path, 200, async () => "published")).rejects.toMatchObject({
      code: "io_error",
    });
  });

  it("a holder whose lock was broken and taken does not commit", async () => {
    const path = join(tempDir(), "x.lock");
    const first = await RunLock.acquire(path, { waitMs: 0 });
    // Judged stale by another run (its clock far ahead), broken and taken.
    const second = await RunLock.acquire(path, { waitMs: 0, now: () => Date.now() + 3_600_000 });
    await expect(first.assertHeld()).rejects.toMatchObject({ code: "output_locked" });
    await first.release();
    await second.assertHeld();
    await second.release();
  });

  // Under a low descriptor limit the token could not be read (EMFILE), and the run said another
  // run had taken its lock, though none existed (an adversary's find).
  it("a holder that cannot read its own token says so, not that another run took it", async () => {
    const path = join(tempDir(), "x.lock");
    const lock = await RunLock.acquire(path, { waitMs: 0 });
    const [token] = readdirSync(path);
    // Something that is not a file in its place: reading it fails, as a want of descriptors does.
    rmSync(join(path, token as string));
    mkdirSync(join(path, token as string));
    await expect(lock.assertHeld()).rejects.toMatchObject({
      code: "io_error",
      message: expect.stringMatching(
        /^cannot check the lock .*x\.lock \(EINVAL\); nothing was committed$/,
      ),
    });
    rmSync(join(path, token as string), { recursive: true });
    await lock.release();
  });

  it("rejects a negative or non-numeric --lock-wait (exit 2)", async () => {
    const { input, out } = await sample();
    for (const value of ["-1", "soon"]) {
      const run = await runCli(["etl", "-i", input, "--output-dir", out, "--lock-wait", value]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `error: --lock-wait must be a number of seconds, 0 or more (got "${value}")`,
      );
    }
    await expect(
      runEtl({ inputs: [input], outputDir: out, lockWaitMs: 1.5 }),
    ).rejects.toMatchObject({
      code: "usage",
      path: ["lockWaitMs"],
    });
  });
});
