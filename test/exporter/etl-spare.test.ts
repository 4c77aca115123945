import {
  appendFileSync,
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { sparePathFor } from "../../src/exporter/sinks/keep-replaced.js";
import { etlStateSchema } from "../../src/exporter/state/state-schemas.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

// An incremental run writes only what is new into the spare (the events file the run before
// replaced) instead of copying the whole events file, which at 10M events cost as much as the
// rest of a full run. These tests hold it to producing exactly what the copy produced.

let serial = 0;
function lines(n: number, tail = ""): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = serial++;
    out.push(
      eventLine({
        channel: "user",
        event: `e${k % 3}`,
        timestamp: new Date(Date.UTC(2025, 1, 1 + (k % 20))),
        payload: { k },
      }),
    );
  }
  return `${out.join("\n")}\n${tail}`;
}

function setup() {
  const input = tempDir();
  const out = tempDir();
  const live = join(input, "user.jsonl");
  writeFileSync(live, lines(40));
  const run = (full = false) =>
    runEtl({ inputs: [input], outputDir: out, incremental: true, full, now: NOW });
  const events = join(out, "telemetry_events.json");
  const spare = sparePathFor(events);
  const inode = (path: string) => statSync(path).ino;
  const state = () =>
    etlStateSchema.parse(
      JSON.parse(
        readFileSync(join(out, ".etl-state.json"), "utf8").split("\n").slice(1).join("\n"),
      ),
    );
  const reference = async () =>
    readFileSync(
      (await runEtl({ inputs: [input], outputDir: tempDir(), now: NOW })).eventsPath,
      "utf8",
    );
  return { input, live, run, events, spare, inode, state, reference };
}

// The incremental order: events already exported first, each run's new ones after them.
const parsed = (text: string) =>
  (JSON.parse(text) as { payload: { k: number } }[]).map((e) => e.payload.k).sort((a, b) => a - b);

describe("etl --incremental: the spare of the events file", () => {
  it("keeps the replaced events file, and the next run continues it in place of a copy", async () => {
    const t = setup();
    await t.run();
    expect(existsSync(t.spare)).toBe(false); // a full run has nothing to continue
    appendFileSync(t.live, lines(10));
    await t.run(); // a copy of the events file; the file it replaces becomes the spare
    const spareInode = t.inode(t.spare);
    const current = t.inode(t.events);
    expect(t.state().events_output.spare?.identity.ino).toBe(String(spareInode));
    appendFileSync(t.live, lines(10));
    await t.run();
    // The spare, brought up to date, is the events file now; the one it replaced the spare.
    expect(t.inode(t.events)).toBe(spareInode);
    expect(t.inode(t.spare)).toBe(current);
    expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
    for (let i = 0; i < 3; i++) {
      appendFileSync(t.live, lines(7));
      await t.run();
      expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
    }
  });

  it("holds back an unfinished last line, and exports it once it is complete", async () => {
    const t = setup();
    await t.run();
    appendFileSync(t.live, lines(5));
    await t.run();
    const torn = lines(1);
    appendFileSync(t.live, `${lines(5)}${torn.slice(0, 30)}`);
    await t.run(); // continues the spare; the torn line's event is at the end, not committed
    expect(t.state().events_output.spare).toBeDefined();
    appendFileSync(t.live, torn.slice(30));
    await t.run();
    expect(t.state().events_output.spare).toBeDefined();
    const text = readFileSync(t.events, "utf8");
    expect(parsed(text)).toEqual(parsed(await t.reference()));
    expect(text.endsWith("}\n]\n")).toBe(true);
  });

  it("is not trusted once changed (a run cut short while writing it): a copy instead", async () => {
    const t = setup();
    await t.run();
    appendFileSync(t.live, lines(10));
    await t.run();
    // Bytes within what the spare shares with the events file: a run trusting it would copy
    // only what it lacks after them, and export the edit.
    const fd = openSync(t.spare, "r+");
    writeSync(fd, "EDITED", 20);
    closeSync(fd);
    appendFileSync(t.live, lines(10));
    const result = await t.run();
    expect(result.incremental?.mode).toBe("incremental");
    expect(readFileSync(t.events, "utf8")).not.toContain("EDITED");
    expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
  });

  it("never writes into a file that has another link (a hard-link snapshot of the events file)", async () => {
    const t = setup();
    await t.run();
    appendFileSync(t.live, lines(10));
    await t.run();
    // A snapshot as `cp -al` or `ln` takes it: the events file the next run replaces, which
    // becomes the spare, is also the snapshot; the run after that must not rewrite it.
    const snapshot = join(tempDir(), "events-snapshot.json");
    linkSync(t.events, snapshot);
    const taken = readFileSync(snapshot, "utf8");
    for (let i = 0; i < 3; i++) {
      appendFileSync(t.live, lines(5));
      await t.run();
      expect(readFileSync(snapshot, "utf8")).toBe(taken);
      expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
    }
    // A link planted at the spare's own name is refused the same way.
    const planted = join(tempDir(), "planted.json");
    linkSync(t.spare, planted);
    const plantedText = readFileSync(planted, "utf8");
    appendFileSync(t.live, lines(5));
    await t.run();
    expect(readFileSync(planted, "utf8")).toBe(plantedText);
    expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
  });

  it("a directory in the spare's place costs a copy, never a failed run (nor every run after)", async () => {
    const t = setup();
    await t.run();
    mkdirSync(t.spare);
    for (let i = 0; i < 3; i++) {
      appendFileSync(t.live, lines(5));
      const result = await t.run();
      expect(result.incremental?.mode).toBe("incremental");
      expect(t.state().events_output.spare).toBeUndefined();
      expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
    }
    expect(statSync(t.spare).isDirectory()).toBe(true);
    // A full run (which removes the spare) does not fail on it either.
    await t.run(true);
    expect(parsed(readFileSync(t.events, "utf8"))).toEqual(parsed(await t.reference()));
  });

  it("is not kept for an events file reached through a symbolic link", async () => {
    const t = setup();
    const elsewhere = tempDir();
    const real = join(elsewhere, "events.json");
    writeFileSync(real, "[]\n");
    symlinkSync(real, t.events);
    await t.run();
    for (let i = 0; i < 3; i++) {
      appendFileSync(t.live, lines(5));
      await t.run();
    }
    expect(lstatSync(t.events).isSymbolicLink()).toBe(true);
    expect(readdirSync(elsewhere)).toEqual(["events.json"]);
    expect(existsSync(t.spare)).toBe(false);
    expect(t.state().events_output.spare).toBeUndefined();
    expect(parsed(readFileSync(real, "utf8"))).toEqual(parsed(await t.reference()));
  });

  it("is removed by a full run, whose events file does not continue it", async () => {
    const t = setup();
    await t.run();
    appendFileSync(t.live, lines(10));
    await t.run();
    expect(existsSync(t.spare)).toBe(true);
    await t.run(true);
    expect(existsSync(t.spare)).toBe(false);
    expect(t.state().events_output.spare).toBeUndefined();
  });
});
