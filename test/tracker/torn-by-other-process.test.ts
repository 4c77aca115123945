import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvent, Tracker } from "../../src/index.js";
import { readLines } from "../helpers/read-lines.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const FRAGMENT = '{"schema_version":"telemetry_event_v1","channel":"shared","event":"torn","tim';

describe("a long-lived Tracker after another process died mid-line in its file", () => {
  it("puts every event on a line of its own and counts only what it wrote", async () => {
    const directory = tempDir();
    const path = join(directory, "shared.jsonl");
    const tracker = new Tracker({ directory, flushIntervalMs: 1 });
    let seq = 0;
    const recordSome = () => {
      for (let n = 0; n < 20; n++) tracker.record("shared", "tick", { seq: seq++ });
    };
    recordSome();
    await tracker.flush();
    // The file is open and written; other processes now crash mid-line between its writes.
    let timer: NodeJS.Timeout | undefined;
    const crashes = 4;
    for (let c = 0; c < crashes; c++) {
      // None of our writes while the other process writes: one that dies between our check of
      // the file's end and our write(2) can still glue our line to its fragment, the window
      // SECURITY.md documents; here the fragment lands between two of our writes, each time.
      clearInterval(timer);
      await tracker.flush();
      const child = await runTs("test/fixtures/processes/torn-fragment.ts", [path]);
      expect(child.signal, child.stderr).toBe("SIGKILL");
      // At least one write of ours lands after each fragment, however loaded the machine is
      // (else two fragments would meet on one line, which is the crashed writers' own doing).
      recordSome();
      await tracker.flush();
      timer = setInterval(recordSome, 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearInterval(timer);
    recordSome();
    await tracker.close();

    const lines = readLines(path);
    const fragments = lines.filter((line) => line === FRAGMENT);
    expect(fragments).toHaveLength(crashes);
    const events = lines.filter((line) => line !== FRAGMENT);
    // Every other line is one whole event of ours, in order: nothing glued, nothing lost.
    expect(events.map((line) => parseEvent(JSON.parse(line)))).toEqual(
      Array.from({ length: seq }, (_, i) => ({
        ok: true,
        event: expect.objectContaining({ event: "tick", payload: { seq: i } }),
        warnings: [],
      })),
    );
    expect(tracker.stats()).toMatchObject({ recorded: seq, written: seq, dropped: 0 });
  });
});
