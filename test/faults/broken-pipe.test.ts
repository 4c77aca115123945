import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../bench/generate.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "bin/telemetry-exporter.cjs");

// The built CLI through a real pipe into `head -1`, which exits after one line: the exporter's
// next writes fail with EPIPE (megabytes of output, far beyond a pipe's buffer).
function throughHead(args: readonly string[]): { code: number; stderr: string; first: string } {
  const dir = tempDir();
  const err = join(dir, "stderr.txt");
  const out = join(dir, "head.txt");
  const quoted = [bin, ...args].map((a) => `'${a}'`).join(" ");
  const script = `node ${quoted} 2>'${err}' | head -1 >'${out}'; exit "\${PIPESTATUS[0]}"`;
  const run = spawnSync("bash", ["-c", script], { cwd: root, encoding: "utf8" });
  return {
    code: run.status ?? -1,
    stderr: readFileSync(err, "utf8"),
    first: readFileSync(out, "utf8"),
  };
}

describe("a reader that closes the pipe early (| head -1)", () => {
  let input = "";
  beforeAll(async () => {
    input = mkdtempSync(join(tmpdir(), "broken-pipe-"));
    await generate({ directory: input, events: 20_000 });
  });
  afterAll(() => rmSync(input, { recursive: true, force: true }));

  it.each([
    ["jsonl", "0", /^\{"schema_version":"telemetry_event_v1"/],
    ["jsonl", "2", /^\{"schema_version":"telemetry_event_v1"/],
    ["json", "0", /^\[\n$/],
    ["json", "2", /^\[\n$/],
  ])(
    "export -f %s -o - (workers %s) stops quietly: exit 0, nothing on stderr",
    (format, workers, first) => {
      const run = throughHead([
        "export",
        "-f",
        format,
        "-o",
        "-",
        "-i",
        input,
        "--workers",
        workers,
      ]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.first).toMatch(first);
    },
  );
});
