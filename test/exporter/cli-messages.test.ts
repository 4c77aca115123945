// The CLI's closing lines say what happened to the outputs, in units a reader takes in.
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatBytes } from "../../src/exporter/cli/byte-size.js";
import { partitionedExportArgs, runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

function lines(n: number, day = 1): string {
  return Array.from(
    { length: n },
    (_, i) =>
      `${eventLine({ event: `e${i % 3}`, timestamp: `2025-03-0${day}T10:00:0${i % 10}.000Z` })}\n`,
  ).join("");
}

describe("what the CLI says it did", () => {
  it("a second incremental partitioned export says what the directory holds, written and kept", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(6, 1) + lines(6, 2));
    const out = join(tempDir(), "parts");
    const args = [...partitionedExportArgs(input, out), "--incremental"];
    const first = await runCli(args);
    expect(first.stdout).toBe(
      `added 12 events to ${out}; it holds 2 part files (2 written, 0 kept)\n`,
    );
    const again = await runCli(args);
    expect(again.stdout).toBe(
      `added 0 events to ${out}; it holds 2 part files (0 written, 2 kept)\n`,
    );
    appendFileSync(join(input, "user.jsonl"), lines(1, 3));
    const third = await runCli(args);
    expect(third.stdout).toBe(
      `added 1 event to ${out}; it holds 3 part files (1 written, 2 kept)\n`,
    );
  });

  // The event of a last line without "\n" goes to a tail part file that every run replaces: a
  // run that only rewrites it adds nothing. The file is dated 10 s back: not one being written.
  it("an incremental partitioned export counts an event of a last line without a newline apart", async () => {
    const input = tempDir();
    const file = join(input, "user.jsonl");
    writeFileSync(file, lines(1) + lines(1).trimEnd());
    const past = new Date(Date.now() - 10_000);
    utimesSync(file, past, past);
    const out = join(tempDir(), "parts");
    const args = [...partitionedExportArgs(input, out), "--incremental"];
    const tail = "(and 1 from a last line without a newline yet, written again until it ends)";
    expect((await runCli(args)).stdout).toBe(
      `added 1 event to ${out} ${tail}; it holds 2 part files (2 written, 0 kept)\n`,
    );
    expect((await runCli(args)).stdout).toBe(
      `added 0 events to ${out} ${tail}; it holds 2 part files (1 written, 1 kept)\n`,
    );
  });

  it("in a dataset shared by several writers, it counts the writer's own part files", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(6, 1) + lines(6, 2));
    const out = join(tempDir(), "dataset");
    const args = [...partitionedExportArgs(input, out), "--incremental", "--writer"];
    expect((await runCli([...args, "a"])).stdout).toBe(
      `added 12 events to ${out}; writer a has 2 part files (2 written, 0 kept)\n`,
    );
    expect((await runCli([...args, "b"])).stdout).toBe(
      `added 12 events to ${out}; writer b has 2 part files (2 written, 0 kept)\n`,
    );
    expect((await runCli([...args, "a"])).stdout).toBe(
      `added 0 events to ${out}; writer a has 2 part files (0 written, 2 kept)\n`,
    );
  });

  it("a full partitioned export counts the part files it wrote", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(3, 1));
    const out = join(tempDir(), "parts");
    const run = await runCli(partitionedExportArgs(input, out));
    expect(run.stdout).toBe(`wrote 3 events to ${out} (1 part file)\n`);
  });

  it("a partitioned export of no events says so, and holds _SUCCESS alone (docs/formats.md)", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(3, 1));
    const out = join(tempDir(), "parts");
    const run = await runCli([...partitionedExportArgs(input, out), "--channel", "nobody"]);
    expect(run.stdout).toBe(`wrote 0 events to ${out} (0 part files)\n`);
    expect(readdirSync(out)).toEqual(["_SUCCESS"]);
  });

  it("an incremental etl with nothing new says it left the events file as it was", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(5));
    const dir = tempDir();
    const args = ["etl", "-i", input, "--output-dir", dir, "--incremental", "-q"];
    const events = join(dir, "telemetry_events.json");
    expect((await runCli(args)).stdout).toContain(`wrote 5 events to ${events}\n`);
    const before = { text: readFileSync(events, "utf8"), mtime: statSync(events).mtimeMs };
    const again = await runCli(args);
    expect(again.stdout).toContain(`left ${events} as it was: nothing new to add (5 events)\n`);
    expect(again.stdout).not.toContain("wrote 5 events");
    expect(readFileSync(events, "utf8")).toBe(before.text);
    expect(statSync(events).mtimeMs).toBe(before.mtime);
    appendFileSync(join(input, "user.jsonl"), lines(2));
    expect((await runCli(args)).stdout).toContain(`wrote 7 events to ${events} (2 new)\n`);
  });

  // A file's last line without "\n" that is complete JSON is exported, but only committed once it
  // ends: every run reads it again. The run that adds it changes the events file, so it must not
  // say it left the file as it was. The file is dated 10 s back: not one being written now.
  it("an incremental etl that adds an event of a last line without a newline says it wrote it", async () => {
    const input = tempDir();
    const file = join(input, "user.jsonl");
    writeFileSync(file, lines(2));
    const dir = tempDir();
    const args = ["etl", "-i", input, "--output-dir", dir, "--incremental", "-q"];
    const events = join(dir, "telemetry_events.json");
    expect((await runCli(args)).stdout).toContain(`wrote 2 events to ${events}\n`);
    appendFileSync(file, lines(1).trimEnd());
    const past = new Date(Date.now() - 10_000);
    utimesSync(file, past, past);
    const tail = "1 on a last line without its newline yet, read again by the next run";
    const run = await runCli(args);
    expect(JSON.parse(readFileSync(events, "utf8"))).toHaveLength(3);
    expect(run.stdout).toContain(`wrote 3 events to ${events} (${tail})\n`);
    expect(run.stdout).not.toContain("as it was");
    appendFileSync(file, `\n${lines(1)}`);
    utimesSync(file, past, past);
    expect((await runCli(args)).stdout).toContain(`wrote 4 events to ${events} (2 new)\n`);
  });

  it("sizes read below a megabyte print as bytes or KB, not 0.000 MB", async () => {
    const input = tempDir();
    writeFileSync(join(input, "user.jsonl"), lines(2));
    const dir = tempDir();
    const args = ["etl", "-i", input, "--output-dir", dir, "--incremental"];
    await runCli(args);
    const appended = lines(2);
    appendFileSync(join(input, "user.jsonl"), appended);
    const total = statSync(join(input, "user.jsonl")).size;
    const run = await runCli(args);
    expect(run.stderr).toContain(
      `incremental: read ${Buffer.byteLength(appended)} bytes of ${total} bytes`,
    );
    expect(run.stderr).not.toContain("MB");
  });

  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [999, "999 bytes"],
    [1000, "1.0 KB"],
    [91_412, "91.4 KB"],
    [999_949, "999.9 KB"],
    [999_950, "1.0 MB"],
    [12_345_678, "12.3 MB"],
    [3_000_000_000, "3.0 GB"],
  ])("formatBytes(%d) is %s", (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
