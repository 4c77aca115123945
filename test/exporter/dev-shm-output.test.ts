import {
  appendFileSync,
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
