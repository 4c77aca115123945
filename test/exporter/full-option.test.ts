import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportEvents, runEtl } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

// `--full` only means something to an incremental run (it ignores the saved state): without
// `--incremental` it was accepted and did nothing, so a user who expected a state to be used or
// ignored was not told that none was.
function input(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "user.jsonl"), `${eventLine({ channel: "user" })}\n`);
  return dir;
}

describe("--full without --incremental", () => {
  it("etl: refused with exit 2 before anything is written", async () => {
    const out = join(tempDir(), "out");
    const result = await runCli(["etl", "-i", input(), "--output-dir", out, "--full"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--full needs --incremental");
    expect(existsSync(out)).toBe(false);
  });

  it("export: refused with exit 2, with or without --partition-by", async () => {
    const dir = input();
    const file = join(tempDir(), "events.json");
    const plain = await runCli(["export", "-i", dir, "-o", file, "--full"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("--full needs --incremental");
    expect(existsSync(file)).toBe(false);
    const parts = join(tempDir(), "parts");
    const partitioned = await runCli([
      ...["export", "-i", dir, "-f", "parquet", "-o", parts],
      ...["--partition-by", "channel", "--full"],
    ]);
    expect(partitioned.code).toBe(2);
    expect(partitioned.stderr).toContain("--full needs --incremental");
  });

  it("the API refuses it as a usage error whose path names the option", async () => {
    const dir = input();
    const out = join(tempDir(), "out");
    await expect(runEtl({ inputs: [dir], outputDir: out, full: true })).rejects.toMatchObject({
      code: "usage",
      path: ["full"],
      message: expect.stringContaining("`full` needs `incremental`"),
    });
    await expect(
      exportEvents({ inputs: [dir], output: join(out, "e.json"), full: true }),
    ).rejects.toMatchObject({ code: "usage", path: ["full"] });
    // With it, accepted.
    const ok = await runEtl({ inputs: [dir], outputDir: out, incremental: true, full: true });
    expect(ok.incremental?.mode).toBe("full");
  });
});
