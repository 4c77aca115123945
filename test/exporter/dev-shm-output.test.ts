import {
  accessSync,
  appendFileSync,
  constants,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

// /dev/shm is a tmpfs where scratch outputs are commonly kept: its files are ordinary files, to
// be replaced atomically, not appended to as the special paths of /dev and /proc are.
const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function shmDir(): string {
  const dir = mkdtempSync("/dev/shm/telemetry-test-");
  created.push(dir);
  return dir;
}

let serial = 0;
const lines = (n: number) =>
  Array.from({ length: n }, () => `${eventLine({ event: `e${serial++}` })}\n`).join("");
const eventsOf = (path: string) =>
  (JSON.parse(readFileSync(path, "utf8")) as { event: string }[]).map((e) => e.event).sort();

describe("outputs in /dev/shm (a tmpfs)", () => {
  it("export -o replaces the file atomically on every run: one JSON array, a new inode", async () => {
    const input = tempDir();
    writeFileSync(join(input, "a.jsonl"), lines(3));
    const output = join(shmDir(), "events.json");
    const first = await runBin(["export", "-i", input, "-f", "json", "-o", output, "-q"]);
    expect(first.code).toBe(0);
    const inode = statSync(output).ino;
    appendFileSync(join(input, "a.jsonl"), lines(2));
    const second = await runBin(["export", "-i", input, "-f", "json", "-o", output, "-q"]);
    expect(second.code).toBe(0);
    expect(eventsOf(output)).toHaveLength(5);
    expect(statSync(output).ino).not.toBe(inode);
  });

  it("etl --incremental with its output directory there runs again and again, as a full run would", async () => {
    const input = tempDir();
    const live = join(input, "a.jsonl");
    writeFileSync(live, lines(20));
    const out = shmDir();
    for (let run = 0; run < 4; run++) {
      const result = await runBin(["etl", "--incremental", "-i", input, "--output-dir", out, "-q"]);
      expect(result.code, result.stderr).toBe(0);
      const reference = tempDir();
      expect((await runBin(["etl", "-i", input, "--output-dir", reference, "-q"])).code).toBe(0);
      const events = eventsOf(join(out, "telemetry_events.json"));
      expect(events).toHaveLength(20 + 5 * run);
      expect(events).toEqual(eventsOf(join(reference, "telemetry_events.json")));
      appendFileSync(live, lines(5));
    }
  });
});

describe("outputs elsewhere in /dev", () => {
  // docs/cli.md: "Any other path in /dev or /proc is written as a stream (a regular file there
  // is appended to), never replaced". Only root can make a regular file in /dev.
  const devWritable = (() => {
    try {
      accessSync("/dev", constants.W_OK);
      return true;
    } catch {
      return false;
    }
  })();
  it.runIf(devWritable)(
    "a regular file elsewhere in /dev is appended to, never replaced",
    async () => {
      const input = tempDir();
      writeFileSync(join(input, "a.jsonl"), lines(2));
      const output = `/dev/telemetry-test-${process.pid}-${serial}.json`;
      writeFileSync(output, "kept\n");
      created.push(output);
      const inode = statSync(output).ino;
      for (let run = 0; run < 2; run++) {
        const result = await runBin(["export", "-i", input, "-f", "jsonl", "-o", output, "-q"]);
        expect(result.code, result.stderr).toBe(0);
      }
      const text = readFileSync(output, "utf8").split("\n");
      expect(text[0]).toBe("kept");
      expect(text.slice(1, -1).map((l) => (JSON.parse(l) as { event: string }).event)).toHaveLength(
        4,
      );
      expect(statSync(output).ino).toBe(inode);
    },
  );
});
