import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type EtlOptions, runEtl } from "../../src/exporter/index.js";
import { etlStateSchema } from "../../src/exporter/state/state-schemas.js";
import { runCli } from "../helpers/cli.js";
import { eventLine, NOW } from "../helpers/event-lines.js";
import { tempDir } from "../helpers/temp-dir.js";

let serial = 0;

function lines(channel: string, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = serial++;
    out.push(
      eventLine({
        channel,
        event: `e${k % 5}`,
        timestamp: new Date(Date.UTC(2025, 1, 1 + (k % 20), k % 24)),
        payload: { k },
      }),
    );
  }
  return `${out.join("\n")}\n`;
}

function setup() {
  const input = tempDir();
  const out = tempDir();
  writeFileSync(join(input, "user.jsonl"), lines("user", 50));
  writeFileSync(join(input, "system.jsonl"), lines("system", 30));
  const run = (extra: Partial<EtlOptions> = {}) =>
    runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW, ...extra });
  const full = () => runEtl({ inputs: [input], outputDir: join(tempDir()), now: NOW });
  return { input, out, run, full };
}

async function expectSameAsFull(
  result: Awaited<ReturnType<typeof runEtl>>,
  full: () => ReturnType<typeof runEtl>,
) {
  const reference = await full();
  expect(result.report).toEqual(reference.report);
  const events = (p: string) => (JSON.parse(readFileSync(p, "utf8")) as unknown[]).length;
  expect(events(result.eventsPath)).toBe(events(reference.eventsPath));
}

// A state is trusted at run time on its checksum alone: what is written must be a valid state.
function savedState(path: string): unknown {
  const [header, body] = readFileSync(path, "utf8").split("\n");
  expect(JSON.parse(header ?? "")).toMatchObject({ state_version: 5 });
  return JSON.parse(body ?? "");
}

describe("incremental ETL: reading only what is new", () => {
  it("writes a state that its schema accepts, with a header holding its checksum", async () => {
    const { input, out, run } = setup();
    writeFileSync(join(input, "bad.jsonl"), '{"nope"\n');
    await run();
    const state = savedState(join(out, ".etl-state.json"));
    expect(etlStateSchema.safeParse(state).success).toBe(true);
    expect(state).toMatchObject({ files: [{}, {}, {}] });
  });

  it("reads only the appended bytes; the events array grows at its end, in input order", async () => {
    const { input, out, run, full } = setup();
    const first = await run();
    expect(first.incremental).toMatchObject({ mode: "full", reason: "no state yet" });
    expect(existsSync(join(out, ".etl-state.json"))).toBe(true);
    const before = JSON.parse(readFileSync(first.eventsPath, "utf8")) as unknown[];
    const added = lines("user", 5);
    appendFileSync(join(input, "user.jsonl"), added);
    writeFileSync(join(input, "new.jsonl"), lines("new", 3));
    const second = await run();
    expect(second.incremental?.mode).toBe("incremental");
    expect(second.incremental?.bytesRead).toBe(
      Buffer.byteLength(added) + Buffer.byteLength(readFileSync(join(input, "new.jsonl"))),
    );
    const after = JSON.parse(readFileSync(second.eventsPath, "utf8")) as unknown[];
    expect(after.slice(0, before.length)).toEqual(before);
    // New events: file by file in sorted path order, each file's in line order.
    const fresh = [
      ...readFileSync(join(input, "new.jsonl"), "utf8").trimEnd().split("\n"),
      ...added.trimEnd().split("\n"),
    ];
    expect(after.slice(before.length).map((e) => JSON.stringify(e))).toEqual(fresh);
    await expectSameAsFull(second, full);
    const untouched = statSync(second.eventsPath);
    const third = await run();
    expect(third.incremental).toMatchObject({ mode: "incremental", bytesRead: 0 });
    // Nothing new: the events output is left as it is, not rewritten.
    expect(statSync(third.eventsPath).ino).toBe(untouched.ino);
    expect(statSync(third.eventsPath).mtimeMs).toBe(untouched.mtimeMs);
    await expectSameAsFull(third, full);
  });

  it("holds a torn last line back until it is finished, exporting it once", async () => {
    const { input, run, full } = setup();
    await run();
    const line = lines("user", 1);
    appendFileSync(join(input, "user.jsonl"), line.slice(0, 40));
    const torn = await run();
    expect(torn.report.anomalies.by_code.truncated_line).toBe(1);
    await expectSameAsFull(torn, full);
    appendFileSync(join(input, "user.jsonl"), line.slice(40));
    const done = await run();
    expect(done.incremental?.mode).toBe("incremental");
    expect(done.report.anomalies.by_code.truncated_line).toBeUndefined();
    await expectSameAsFull(done, full);
  });

  it("line numbers of new diagnostics continue from the saved count", async () => {
    const { input, run } = setup();
    await run();
    appendFileSync(join(input, "user.jsonl"), "{bad\n");
    const result = await run();
    expect(result.report.anomalies.first[0]).toMatchObject({ line: 51, code: "invalid_json" });
  });

  it("reads unchanged .gz files not at all, and a changed one with a full run", async () => {
    const { input, run, full } = setup();
    writeFileSync(join(input, "old.jsonl.gz"), gzipSync(lines("old", 10)));
    await run();
    appendFileSync(join(input, "user.jsonl"), lines("user", 2));
    const again = await run();
    expect(again.incremental?.mode).toBe("incremental");
    await expectSameAsFull(again, full);
    writeFileSync(join(input, "old.jsonl.gz"), gzipSync(lines("old", 12)));
    const changed = await run();
    expect(changed.incremental?.reason).toMatch(/old\.jsonl\.gz (changed|was rewritten)/);
    await expectSameAsFull(changed, full);
  });
});

describe("incremental ETL: when the state cannot be trusted, a full run", () => {
  const cases: [string, (ctx: ReturnType<typeof setup>) => void, RegExp][] = [
    [
      // Its first bytes are still there (a new file on the same inode would not have them).
      "a file shrank",
      (c) => truncateSync(join(c.input, "user.jsonl"), 5000),
      /user\.jsonl shrank/,
    ],
    [
      // Rewritten whole into a new file: the same first bytes under a new inode, not a rotation.
      "a file was replaced by a copy",
      (c) => {
        // Written beside it, then renamed over it: while both exist they cannot share an inode
        // (a file removed first could hand its inode to the copy, and the copy, holding the
        // same first bytes, would then be the same file grown).
        const path = join(c.input, "system.jsonl");
        const copy = join(c.input, "system.copy");
        writeFileSync(copy, readFileSync(path, "utf8") + lines("system", 40));
        renameSync(copy, path);
      },
      /system\.jsonl was replaced/,
    ],

    [
      "the state is corrupt",
      (c) => writeFileSync(join(c.out, ".etl-state.json"), "{nope"),
      /corrupt/,
    ],
    [
      "the state is another version",
      (c) => writeFileSync(join(c.out, ".etl-state.json"), '{"state_version":99}'),
      /another version \(99\)/,
    ],
    [
      "the state is of the previous format",
      (c) => writeFileSync(join(c.out, ".etl-state.json"), '{"state_version":1,"files":3}'),
      /another version \(1\)/,
    ],
    [
      "the state was edited (its checksum fails)",
      (c) => {
        const path = join(c.out, ".etl-state.json");
        writeFileSync(path, readFileSync(path, "utf8").replace('"lines":', '"lines":1'));
      },
      /corrupt \(its checksum does not match\)/,
    ],
    [
      "the events output was changed",
      (c) => appendFileSync(join(c.out, "telemetry_events.json"), " "),
      /telemetry_events\.json changed since the last run/,
    ],
  ];
  it.each(cases)("%s", async (_name, change, reason) => {
    const ctx = setup();
    await ctx.run();
    appendFileSync(join(ctx.input, "user.jsonl"), lines("user", 2));
    change(ctx);
    const result = await ctx.run();
    expect(result.incremental?.mode).toBe("full");
    expect(result.incremental?.reason).toMatch(reason);
    await expectSameAsFull(result, ctx.full);
    expect((await ctx.run()).incremental?.mode).toBe("incremental");
  });

  it("other inputs or filters: the state is ignored", async () => {
    const ctx = setup();
    await ctx.run();
    const filtered = await ctx.run({ filters: { channels: ["user"] } });
    expect(filtered.incremental?.reason).toMatch(/other inputs or options/);
    expect(filtered.report.totals.filtered).toBe(30);
  });

  it("--full ignores the state and saves a fresh one", async () => {
    const ctx = setup();
    await ctx.run();
    const result = await ctx.run({ full: true });
    expect(result.incremental).toMatchObject({ mode: "full", reason: "`full` was given" });
    expect((await ctx.run()).incremental?.mode).toBe("incremental");
  });

  it("keeps no state when a file could not be read to its end", async () => {
    const ctx = setup();
    mkdirSync(join(ctx.input, "dir.jsonl"));
    await ctx.run();
    expect(existsSync(join(ctx.out, ".etl-state.json"))).toBe(false);
  });
});

describe("telemetry-exporter etl --incremental", () => {
  it("says on stderr whether it continued or read everything, and why", async () => {
    const ctx = setup();
    const args = ["etl", "-i", ctx.input, "--output-dir", ctx.out, "--incremental"];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/incremental: full run \(no state yet\); read \d+\.\d KB of /);
    appendFileSync(join(ctx.input, "user.jsonl"), lines("user", 1));
    const second = await runCli(args);
    expect(second.stderr).toMatch(
      /incremental: read \d{3} bytes of \d+\.\d KB \(what was appended since the last run\)/,
    );
    expect((await runCli([...args, "--full"])).stderr).toContain("full run (--full was given)");
    expect((await runCli([...args, "-q"])).stderr).toBe("");
  });
});

describe("incremental ETL after a failed run", () => {
  it("a run that fails after replacing the events leaves the state behind it; the next run puts the replaced events back and continues", async () => {
    const ctx = setup();
    await ctx.run();
    const state = readFileSync(join(ctx.out, ".etl-state.json"), "utf8");
    appendFileSync(join(ctx.input, "user.jsonl"), lines("user", 2));
    rmSync(join(ctx.out, "telemetry_report.html"));
    // Refused only when written, after the events (a directory there is refused by the plan).
    symlinkSync(join(ctx.out, "nowhere", "report.html"), join(ctx.out, "telemetry_report.html"));
    await expect(ctx.run()).rejects.toThrow(/symbolic link whose target does not exist/);
    expect(readFileSync(join(ctx.out, ".etl-state.json"), "utf8")).toBe(state);
    rmSync(join(ctx.out, "telemetry_report.html"));
    const next = await ctx.run();
    expect(next.incremental).toMatchObject({ mode: "incremental", eventsAdded: 2 });
    await expectSameAsFull(next, ctx.full);
  });
});
