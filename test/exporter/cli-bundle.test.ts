import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { exportEvents } from "../../src/exporter/index.js";
import { stateText } from "../../src/exporter/state/state-file.js";
import { eventLine } from "../helpers/event-lines.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

interface LoadedCli {
  main(args: string[], io: unknown): Promise<number>;
  cacheRejected: boolean | undefined;
}

// The bin runs the bundled CLI (dist/cli), whose worker entries and version are found otherwise
// than the modules tsc writes: these runs go through both worker kinds and the version.
describe("the bundled CLI", () => {
  it("reads with worker threads and encodes Parquet in its encoder thread, as the library does", async () => {
    const input = tempDir();
    // About 10 MB: three segments, so two reader threads start.
    const lines = Array.from({ length: 36_000 }, (_, k) =>
      eventLine({
        channel: k % 2 === 0 ? "user" : "system",
        event: `e${k % 13}`,
        timestamp: new Date(Date.UTC(2025, 2, 1) + k * 1000),
        payload: { k, text: "x".repeat(k % 400) },
      }),
    );
    writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
    const out = tempDir();
    const run = await runBin([
      "export",
      "-i",
      input,
      "--format",
      "parquet",
      "--workers",
      "2",
      "-o",
      join(out, "bin.parquet"),
      "-q",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    await exportEvents(
      { inputs: [input], format: "parquet", output: join(out, "library.parquet") },
      { workers: 0 },
    );
    const built = readFileSync(join(out, "bin.parquet"));
    expect(built.equals(readFileSync(join(out, "library.parquet")))).toBe(true);
  });

  it("runs its threads as well when V8 refuses their code caches (damaged bytes)", () => {
    const copy = tempDir();
    cpSync(join(ROOT, "bin"), join(copy, "bin"), { recursive: true });
    cpSync(join(ROOT, "dist", "cli"), join(copy, "dist", "cli"), { recursive: true });
    for (const name of ["segment-worker.cjs.cache", "parquet-encoder-worker.cjs.cache"]) {
      const cache = join(copy, "dist", "cli", name);
      const bytes = readFileSync(cache);
      for (let at = 4096; at < bytes.length; at += 8192) bytes.fill(0x5a, at, at + 3);
      writeFileSync(cache, bytes);
    }
    // Two files: two segments, so two reader threads start.
    const input = tempDir();
    for (const channel of ["user", "system"]) {
      const lines = Array.from({ length: 300 }, (_, k) =>
        eventLine({
          channel,
          event: `e${k % 7}`,
          timestamp: new Date(k * 3_600_000),
          payload: { k },
        }),
      );
      writeFileSync(join(input, `${channel}.jsonl`), `${lines.join("\n")}\n`);
    }
    const outputs = [copy, ROOT].map((root) => {
      const out = join(tempDir(), "events.parquet");
      const bin = join(root, "bin", "telemetry-exporter.cjs");
      const args = ["export", "-i", input, "-f", "parquet", "--workers", "2", "-o", out, "-q"];
      const run = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      return readFileSync(out);
    });
    expect((outputs[0] as Buffer).equals(outputs[1] as Buffer)).toBe(true);
  });

  it("prints the version of the package.json it was built from", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const run = await runBin(["--version"]);
    expect(run.stdout).toBe(`${version}\n`);
  });

  it("loads with the code cache made for it, and runs as well with one V8 refuses or none", async () => {
    const loader = createRequire(import.meta.url)(join(ROOT, "bin/load-cli.cjs")) as {
      loadCli(dir?: string, useCache?: boolean): LoadedCli;
    };
    expect(loader.loadCli().cacheRejected).toBe(false);
    const copy = tempDir();
    cpSync(join(ROOT, "dist", "cli"), copy, { recursive: true });
    const cache = join(copy, "main.cjs.cache");
    writeFileSync(cache, Buffer.alloc(4096, 7));
    const damaged = loader.loadCli(copy);
    expect(damaged.cacheRejected).toBe(true);
    rmSync(cache);
    const none = loader.loadCli(copy);
    expect(none.cacheRejected).toBeUndefined();
    for (const { main } of [damaged, none]) {
      const input = tempDir();
      const line = eventLine({ channel: "user", event: "e", timestamp: new Date(0), payload: {} });
      writeFileSync(join(input, "user.jsonl"), `${line}\n`);
      const chunks: string[] = [];
      const stderr = new Writable({
        write: (chunk, _encoding, done) => {
          chunks.push(String(chunk));
          done();
        },
      });
      const io = { stdout: stderr, stderr, env: {} };
      expect(await main(["validate", "-i", input], io)).toBe(0);
      expect(chunks.join("")).toContain("1 valid");
    }
  });

  it("gives V8 no cache whose bytes were damaged or that was made for another bundle", () => {
    // V8 checks neither (only the length of the source): a damaged cache crashed the run or ran
    // wrong code, and an edited bundle of the same length ran the code the cache was made from.
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const edited = "9".repeat(version.length);
    const copy = tempDir();
    cpSync(join(ROOT, "bin"), join(copy, "bin"), { recursive: true });
    cpSync(join(ROOT, "dist", "cli"), join(copy, "dist", "cli"), { recursive: true });
    const bundle = join(copy, "dist", "cli", "main.cjs");
    const text = readFileSync(bundle, "utf8");
    expect(text).toContain(`return "${version}";`);
    writeFileSync(bundle, text.replace(`return "${version}";`, `return "${edited}";`));
    const bin = join(copy, "bin", "telemetry-exporter.cjs");
    const run = (args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
    const edit = run(["--version"]);
    expect(edit.stderr).toBe("");
    expect(edit.stdout).toBe(`${edited}\n`);
    // A cache with bytes changed all through it (as a bad disk or a partial copy leaves it).
    writeFileSync(bundle, text);
    const cache = join(copy, "dist", "cli", "main.cjs.cache");
    const bytes = readFileSync(cache);
    for (let at = 4096; at < bytes.length; at += 16_384) bytes.fill(0x5a, at, at + 3);
    writeFileSync(cache, bytes);
    const input = tempDir();
    const line = eventLine({ channel: "user", event: "e", timestamp: new Date(0), payload: {} });
    writeFileSync(join(input, "user.jsonl"), `${line}\n${line}\n`);
    const damaged = run(["summary", "-i", input]);
    expect(damaged.stderr).toBe("");
    expect(damaged.status).toBe(0);
    expect(damaged.stdout).toContain("2 events");
    const loader = createRequire(import.meta.url)(join(copy, "bin", "load-cli.cjs")) as {
      loadCli(): LoadedCli;
    };
    expect(loader.loadCli().cacheRejected).toBe(true);
  });

  it("names no path of the checkout it was built in (the package carries it elsewhere)", () => {
    const dir = join(ROOT, "dist", "cli");
    const code = readdirSync(dir).filter((f) => f.endsWith(".js") || f.endsWith(".cjs"));
    expect(code).toContain("main.cjs");
    for (const file of code)
      expect(readFileSync(join(dir, file), "utf8"), file).not.toContain(ROOT);
  });

  it("loads string-width only when a help text is laid out", async () => {
    // It builds an Intl.Segmenter as it loads (about 17 ms with its expressions); counted here.
    const script = [
      "let made = 0;",
      "const Real = Intl.Segmenter;",
      "Intl.Segmenter = class extends Real { constructor(...a) { super(...a); made++; } };",
      `const { main } = require(${JSON.stringify(join(ROOT, "bin/load-cli.cjs"))}).loadCli();`,
      "const atLoad = made;",
      "const { Writable } = require('node:stream');",
      "const out = []; const sink = new Writable({ write(c, e, d) { out.push(String(c)); d(); } });",
      "main(['export', '--help'], { stdout: sink, stderr: sink, env: {} }).then((code) => {",
      "  console.log(JSON.stringify({ atLoad, afterHelp: made, code, help: out.join('') }));",
      "});",
    ].join("\n");
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const got = JSON.parse(run.stdout) as { atLoad: number; afterHelp: number; help: string };
    expect(got.atLoad).toBe(0);
    expect(got.afterHelp).toBeGreaterThan(0);
    expect(got.help).toContain("Export valid events as JSON, JSON Lines or Parquet");
  });

  it("carries zod's English messages only, and says in them what is wrong with a state", async () => {
    const chunks = readdirSync(join(ROOT, "dist", "cli")).filter((f) => f.endsWith(".cjs"));
    const text = chunks.map((f) => readFileSync(join(ROOT, "dist", "cli", f), "utf8")).join("");
    expect(text).toContain("node_modules/zod/v4/locales/en.js");
    expect(text).not.toMatch(/node_modules\/zod\/v4\/locales\/(?!en\.js|index\.js)[a-zA-Z-]+\.js/);
    // A state zod refuses: the bundled run reads it, says why in English, and runs in full.
    const input = tempDir();
    const out = tempDir();
    const line = eventLine({ channel: "user", event: "e", timestamp: new Date(0), payload: {} });
    writeFileSync(join(input, "user.jsonl"), `${line}\n`);
    const etl = ["etl", "--incremental", "-i", input, "--output-dir", out];
    expect((await runBin(etl)).code).toBe(0);
    const statePath = join(out, ".etl-state.json");
    const [, body] = readFileSync(statePath, "utf8").split("\n");
    const state = JSON.parse(body ?? "");
    state.files[0].tally.valid = "1";
    writeFileSync(statePath, stateText(state));
    const again = await runBin(etl);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("does not match its schema at files.0.tally.valid");
  });
});
