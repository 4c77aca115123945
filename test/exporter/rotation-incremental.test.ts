import {
  appendFileSync,
  cpSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  type EtlOptions,
  type ExportOptions,
  exportEvents,
  runEtl,
} from "../../src/exporter/index.js";
import { etlStateSchema } from "../../src/exporter/state/state-schemas.js";
import { runCli } from "../helpers/cli.js";
import { duckdbRows } from "../helpers/duckdb.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { expectSameAsFull } from "../helpers/same-as-full.js";
import { tempDir } from "../helpers/temp-dir.js";

let serial = 0;

function lines(channel: string, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = serial++;
    const timestamp = new Date(Date.UTC(2025, 1, 1) + k * 60_000);
    out.push(eventLine({ channel, event: `e${k % 5}`, timestamp, payload: { k } }));
  }
  return `${out.join("\n")}\n`;
}

const STAMP = "user.20250301T000000000Z.jsonl";

function setup() {
  const input = tempDir();
  const out = tempDir();
  writeFileSync(join(input, "user.jsonl"), lines("user", 50));
  writeFileSync(join(input, "system.jsonl"), lines("system", 30));
  const run = (extra: Partial<EtlOptions> = {}) =>
    runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW, ...extra });
  const at = (name: string) => join(input, name);
  // The same run through the CLI, for what it says on stderr.
  const cli = (...extra: string[]) =>
    runCli(["etl", "-i", input, "--output-dir", out, "--incremental", ...extra]);
  return { input, out, run, at, cli };
}

const rotate = (c: ReturnType<typeof setup>, to: string, fresh: number) => {
  renameSync(c.at("user.jsonl"), c.at(to));
  writeFileSync(c.at("user.jsonl"), lines("user", fresh));
};

const compress = (c: ReturnType<typeof setup>, name: string, to = `${name}.gz`) => {
  writeFileSync(c.at(to), gzipSync(readFileSync(c.at(name))));
  rmSync(c.at(name));
};

describe("incremental runs follow rotation", () => {
  it("a renamed file keeps its offset (Tracker names); the new live file is read from 0", async () => {
    const c = setup();
    await c.run();
    const late = lines("user", 5);
    appendFileSync(c.at("user.jsonl"), late);
    // The new live file is longer than the old one's offset: its bytes there mean nothing.
    rotate(c, STAMP, 80);
    const result = await c.run();
    expect(result.incremental?.mode).toBe("incremental");
    const fresh = statSync(c.at("user.jsonl")).size;
    expect(result.incremental?.bytesRead).toBe(late.length + fresh);
    await expectSameAsFull(result, c.input);
  });

  it("logrotate's shifts (.1 to .2, the live file to .1) lose and repeat nothing", async () => {
    const c = setup();
    await c.run();
    rotate(c, "user.jsonl.1", 4);
    await c.run();
    appendFileSync(c.at("user.jsonl"), lines("user", 2));
    renameSync(c.at("user.jsonl.1"), c.at("user.jsonl.2"));
    rotate(c, "user.jsonl.1", 6);
    const result = await c.run();
    expect(result.incremental?.mode).toBe("incremental");
    await expectSameAsFull(result, c.input);
    expect(result.report.totals.valid).toBe(50 + 30 + 4 + 2 + 6);
  });

  it("a segment compressed after it was read to its end is recognised and not read again", async () => {
    const c = setup();
    await c.run();
    rotate(c, STAMP, 3);
    await c.run();
    compress(c, STAMP);
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    await expectSameAsFull(result, c.input);
    // Renamed once more as a .gz (logrotate's delaycompress shift): still the same file.
    renameSync(c.at(`${STAMP}.gz`), c.at("user.jsonl.2.gz"));
    const again = await c.run();
    expect(again.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    await expectSameAsFull(again, c.input);
  });

  it("a segment compressed before it was read to its end is read past what was read", async () => {
    const c = setup();
    await c.run();
    appendFileSync(c.at("user.jsonl"), lines("user", 7));
    rotate(c, "user.jsonl.1", 2);
    compress(c, "user.jsonl.1", "user.jsonl.2.gz");
    const result = await c.run();
    expect(result.incremental?.mode).toBe("incremental");
    expect(result.report.totals.valid).toBe(50 + 30 + 7 + 2);
    await expectSameAsFull(result, c.input);
  });

  it("a new live file on the inode its compressed segment freed is a new file", async () => {
    const c = setup();
    await c.run();
    // As rotation does it: rename, gzip (which frees the inode), and a new live file that the
    // file system gives the freed inode; done here in place, so the inode is surely the same.
    writeFileSync(c.at(`${STAMP}.gz`), gzipSync(readFileSync(c.at("user.jsonl"))));
    const inode = statSync(c.at("user.jsonl")).ino;
    writeFileSync(c.at("user.jsonl"), lines("user", 400));
    expect(statSync(c.at("user.jsonl")).ino).toBe(inode);
    const result = await c.run();
    expect(result.incremental).toMatchObject({
      mode: "incremental",
      bytesRead: statSync(c.at("user.jsonl")).size,
    });
    await expectSameAsFull(result, c.input);
  });

  it("a .gz of several members is recognised by its decompressed length", async () => {
    const c = setup();
    await c.run();
    rotate(c, STAMP, 1);
    await c.run();
    const text = readFileSync(c.at(STAMP));
    const cut = text.indexOf(10, 100) + 1;
    const members = [gzipSync(text.subarray(0, cut)), gzipSync(text.subarray(cut))];
    writeFileSync(c.at(`${STAMP}.gz`), Buffer.concat(members));
    rmSync(c.at(STAMP));
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    await expectSameAsFull(result, c.input);
  });

  it("while a compression is unfinished (both X.jsonl and X.jsonl.gz), only X.jsonl is read", async () => {
    const c = setup();
    await c.run();
    rotate(c, STAMP, 1);
    writeFileSync(c.at(`${STAMP}.gz`), gzipSync(readFileSync(c.at(STAMP))));
    const during = await c.run();
    expect(during.report.inventory.files.map((f) => f.path)).not.toContain(c.at(`${STAMP}.gz`));
    await expectSameAsFull(during, c.input);
    rmSync(c.at(STAMP));
    const after = await c.run();
    expect(after.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    await expectSameAsFull(after, c.input);
  });

  it("a deleted segment read to its end stays in the outputs, archived; --full says it is gone", async () => {
    const c = setup();
    await c.run();
    rotate(c, STAMP, 3);
    await c.run();
    const history = tempDir();
    cpSync(c.input, history, { recursive: true });
    rmSync(c.at(STAMP));
    appendFileSync(c.at("user.jsonl"), lines("user", 2));
    writeFileSync(join(history, "user.jsonl"), readFileSync(c.at("user.jsonl")));
    const result = await c.run();
    expect(result.incremental).toMatchObject({ mode: "incremental", archived: [c.at(STAMP)] });
    const entry = result.report.inventory.files.find((f) => f.path === c.at(STAMP));
    expect(entry).toMatchObject({ archived: true, valid: 50 });
    expect(readFileSync(result.reportPath, "utf8")).toContain(
      "archived: deleted since an incremental run read it; its counts are kept",
    );
    await expectSameAsFull(result, c.input, history);
    const [, body] = readFileSync(join(c.out, ".etl-state.json"), "utf8").split("\n");
    const state = etlStateSchema.parse(JSON.parse(body ?? ""));
    expect(state.archived.map((a) => a.path)).toEqual([c.at(STAMP)]);
    // Still archived a run later.
    const next = await c.run();
    expect(next.incremental).toMatchObject({ mode: "incremental", archived: [c.at(STAMP)] });
    await expectSameAsFull(next, c.input, history);
    expect((await c.cli()).stderr).toContain("1 deleted file(s) kept as archived");
    const cli = await c.cli("--full");
    expect(cli.code).toBe(0);
    // A line of its own, after the full run's line (not glued to it by an escaped newline).
    expect(cli.stderr.split("\n")).toContain(
      `incremental: archived and now gone, no longer in the outputs: ${c.at(STAMP)}`,
    );
    const rebuilt = await c.run();
    expect(rebuilt.report.totals.valid).toBe(30 + 3 + 2);
    expect(rebuilt.incremental?.archived).toBeUndefined();
  });

  // A segment read, rotated, then deleted: archived by the state, which keeps its events.
  async function withArchived() {
    const c = setup();
    await c.run();
    rotate(c, STAMP, 3);
    await c.run();
    rmSync(c.at(STAMP));
    expect((await c.run()).incremental?.archived).toEqual([c.at(STAMP)]);
    return c;
  }

  it("a state of other options starts over, naming the archived files it drops", async () => {
    const c = await withArchived();
    // Another line limit: the state is whole but for other options.
    const cli = await c.cli("--max-line-bytes", "2000000");
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain("state file is from other inputs or options; ignored");
    expect(cli.stderr.split("\n")).toContain(
      `incremental: archived and now gone, no longer in the outputs: ${c.at(STAMP)}`,
    );
    const rebuilt = await c.run({ maxLineBytes: 2_000_000 });
    expect(rebuilt.incremental).toMatchObject({ mode: "incremental" });
    expect(rebuilt.report.totals.valid).toBe(30 + 3);
  });

  it("under --quiet, a full run that drops archived files still says so, and nothing else", async () => {
    const c = await withArchived();
    const cli = await c.cli("--max-line-bytes", "2000000", "-q");
    expect(cli.code).toBe(0);
    const lines = cli.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^incremental: full run \(state file is from other inputs or options; ignored\); read /,
    );
    expect(lines[1]).toBe(
      `incremental: archived and now gone, no longer in the outputs: ${c.at(STAMP)}`,
    );
    // Nothing lost, nothing said: an incremental run under --quiet is silent on stderr.
    expect((await c.cli("--max-line-bytes", "2000000", "-q")).stderr).toBe("");
  });

  it("a segment deleted with its last line unfinished: archived, its torn bytes named", async () => {
    const c = setup();
    await c.run();
    rotate(c, STAMP, 2);
    await c.run();
    rmSync(c.at(STAMP));
    await c.run();
    // Then a writer's crash tears the live file's last line, and retention deletes it too.
    appendFileSync(c.at("user.jsonl"), '{"torn');
    await c.run();
    rotate(c, "user.20250302T000000000Z.jsonl", 1);
    rmSync(c.at("user.20250302T000000000Z.jsonl"));
    // Under --quiet too, and nothing else: the only trace a cron job keeps of bytes never read.
    const cli = await c.cli("-q");
    expect(cli.code).toBe(0);
    expect(cli.stderr.trimEnd().split("\n")).toEqual([
      `incremental: ${c.at("user.jsonl")} was deleted with its last line unfinished; never read: 6 bytes after its last complete line`,
      expect.stringMatching(
        `^incremental: ${c.at("user.jsonl")} as the last run read it \\([0-9]+ bytes\\) was rotated and deleted before this run; `,
      ),
    ]);
    const result = await c.run();
    // Nothing lost but the torn line: the first archived segment's 50 events stay too.
    expect(result.incremental?.mode).toBe("incremental");
    expect(result.report.totals.valid).toBe(50 + 2 + 1 + 30);
  });

  it("a state of the previous format gets one full run, with the reason", async () => {
    const c = setup();
    await c.run();
    const path = join(c.out, ".etl-state.json");
    const [, body] = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, `${JSON.stringify({ state_version: 2, sha256: "x" })}\n${body}\n`);
    const result = await c.run();
    expect(result.incremental?.reason).toBe("state file is from another version (2); ignored");
    expect((await c.run()).incremental?.mode).toBe("incremental");
  });
});

describe("incremental partitioned export follows rotation", () => {
  const rows = (dir: string) =>
    duckdbRows(
      `SELECT channel, event, payload::VARCHAR AS payload FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) ORDER BY ALL`,
    );

  it("renamed, compressed and deleted segments: the rows of a full export of the history", async () => {
    const c = setup();
    const out = join(tempDir(), "events");
    const options: ExportOptions = {
      inputs: [c.input],
      format: "parquet",
      output: out,
      partitionBy: "channel",
      incremental: true,
    };
    await exportEvents(options);
    appendFileSync(c.at("user.jsonl"), lines("user", 4));
    rotate(c, STAMP, 3);
    const renamed = await exportEvents(options);
    expect(renamed.incremental?.mode).toBe("incremental");
    compress(c, STAMP);
    const compressed = await exportEvents(options);
    expect(compressed.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    const history = tempDir();
    cpSync(c.input, history, { recursive: true });
    rmSync(c.at(`${STAMP}.gz`));
    appendFileSync(c.at("user.jsonl"), lines("user", 2));
    writeFileSync(join(history, "user.jsonl"), readFileSync(c.at("user.jsonl")));
    const deleted = await exportEvents(options);
    expect(deleted.incremental).toMatchObject({
      mode: "incremental",
      archived: [c.at(`${STAMP}.gz`)],
    });
    const full = join(tempDir(), "full");
    await exportEvents({ ...options, inputs: [history], output: full, incremental: false });
    expect(await rows(out)).toEqual(await rows(full));
    const rebuilt = await exportEvents({ ...options, full: true });
    expect(rebuilt.incremental).toMatchObject({ mode: "full", archived: [c.at(`${STAMP}.gz`)] });
    expect((await rows(out)).length).toBe(30 + 3 + 2);
  }, 60_000);

  it("a segment deleted with its last line unterminated: its complete rows stay, its tail goes", async () => {
    const c = setup();
    const out = join(tempDir(), "events");
    const options: ExportOptions = {
      inputs: [c.input],
      format: "parquet",
      output: out,
      partitionBy: "channel",
      incremental: true,
    };
    await exportEvents(options);
    // A valid last line without its "\n" (the writer stopped mid-write): held as a tail.
    const tail = lines("user", 1).trimEnd();
    appendFileSync(c.at("user.jsonl"), tail);
    expect((await exportEvents(options)).incremental?.mode).toBe("incremental");
    expect((await rows(out)).length).toBe(50 + 1 + 30);
    rotate(c, STAMP, 1);
    rmSync(c.at(STAMP));
    const after = await exportEvents(options);
    expect(after.incremental).toMatchObject({
      mode: "incremental",
      // Renamed and deleted between two runs: it is known by the name it was read under.
      archived: [c.at("user.jsonl")],
      unfinished: [{ path: c.at("user.jsonl"), bytes: Buffer.byteLength(tail) }],
    });
    expect((await rows(out)).length).toBe(50 + 1 + 30);
  }, 60_000);
});
