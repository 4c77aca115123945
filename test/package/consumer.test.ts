// The package as a user gets it: `npm pack` on a clean checkout, installed into a separate app,
// imported, required, type-checked and run. One pack and one install serve every case.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyCleanCheckout, installInto, linkNodeModules, pack, run } from "./consumer-app.js";
import { docExamples, errorLines, writeExamples } from "./doc-examples.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = join(root, "test/fixtures/consumer");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const peerRange = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).peerDependencies
  .zod as string;

let work = "";
let app = "";
let tarball = "";
let packed: string[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "telemetry-package-"));
  const checkout = join(work, "checkout");
  await copyCleanCheckout(root, checkout);
  if (existsSync(join(checkout, "dist"))) throw new Error("the clean checkout already has dist");
  linkNodeModules(root, checkout);
  ({ tarball, files: packed } = await pack(checkout, work));
  app = join(work, "app");
  await installInto(app, tarball);
  for (const name of ["esm.mjs", "require.cjs", "types.ts"]) {
    cpSync(join(fixtures, name), join(app, name));
  }
}, 300_000);

afterAll(() => {
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f));
}

describe("the packed tarball", () => {
  it("is built on pack: it ships dist, the bin and the JSON Schemas, and no sources", () => {
    for (const file of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/exporter/index.js",
      "dist/exporter/index.d.ts",
      "dist/exporter/cli/main.js",
      "dist/cli/main.cjs",
      "dist/cli/main.cjs.cache",
      "dist/cli/segment-worker.cjs",
      "dist/cli/segment-worker.cjs.cache",
      "dist/cli/parquet-encoder-worker.cjs",
      "dist/cli/parquet-encoder-worker.cjs.cache",
      "bin/telemetry-exporter.cjs",
      "bin/load-cli.cjs",
      "bin/help.json",
      "schema/telemetry_event_v1.schema.json",
    ]) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
  });

  it("holds every file its README links to (relative links resolve inside the tarball)", () => {
    const readme = readFileSync(join(app, "node_modules/telemetry-pipeline/README.md"), "utf8");
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
      .map(([, url]) => (url as string).replace(/#.*$/, ""))
      .filter((url) => url !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(url));
    expect(targets).toContain("SECURITY.md");
    expect([...new Set(targets)].filter((target) => !packed.includes(target))).toEqual([]);
  });

  it("leaves no source map reference dangling", () => {
    const installed = join(app, "node_modules/telemetry-pipeline");
    const dangling: string[] = [];
    for (const file of filesUnder(installed).filter((f) => /\.(c|m)?js$/.test(f))) {
      for (const [, url] of readFileSync(file, "utf8").matchAll(/sourceMappingURL=(\S+)/g)) {
        const map = join(dirname(file), url as string);
        if (!existsSync(map)) {
          dangling.push(`${file} -> ${url}`);
          continue;
        }
        const { sources, sourcesContent } = JSON.parse(readFileSync(map, "utf8"));
        (sources as string[]).forEach((source, i) => {
          if (sourcesContent?.[i] == null && !existsSync(join(dirname(map), source))) {
            dangling.push(`${map} -> ${source}`);
          }
        });
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe("an app that installed the tarball", () => {
  it("imports both entry points, records with its own zod schemas and exports", async () => {
    const { stdout } = await run(process.execPath, ["esm.mjs"], app);
    const result = JSON.parse(stdout);
    expect(result.rejected).toBe("invalid_payload");
    expect(result.recorded).toMatchObject({ channel: "user", payload: { user_id: "u1" } });
    expect(result.exported).toBe(1);
    expect(result.written).toEqual([result.recorded]);
  });

  it("require()s both entry points and gets the same modules as import()", async () => {
    const { stdout } = await run(process.execPath, ["require.cjs"], app);
    expect(JSON.parse(stdout)).toEqual({
      tracker: "function",
      exportEvents: "function",
      sameAsImport: true,
      sharedError: true,
    });
  });

  it("runs `npx telemetry-exporter export`", async () => {
    const input = join(app, "cli-input.jsonl");
    const event = {
      schema_version: "telemetry_event_v1",
      channel: "user",
      event: "user.login",
      timestamp: "2025-03-01T10:00:00+02:00",
      payload: { n: 1 },
    };
    writeFileSync(input, `${JSON.stringify(event)}\n`);
    await run(
      "npx",
      ["telemetry-exporter", "export", "--input", input, "--output", "cli.json"],
      app,
    );
    expect(JSON.parse(readFileSync(join(app, "cli.json"), "utf8"))).toEqual([
      { ...event, timestamp: "2025-03-01T08:00:00.000Z" },
    ]);
  });

  // Resolution errors show whatever skipLibCheck says; checking inside the declarations (and
  // zod's, which is slow) once, under nodenext, is enough.
  // node10 is what `"module": "commonjs"` picks when no moduleResolution is given: it reads no
  // `exports`, only `types` and `typesVersions`.
  it.each([
    ["node10", "commonjs", true],
    ["node16", "node16", true],
    ["nodenext", "nodenext", false],
    ["bundler", "esnext", true],
  ])(
    "type-checks under moduleResolution %s, without @types/node",
    async (resolution, module, skipLibCheck) => {
      expect(existsSync(join(app, "node_modules/@types/node"))).toBe(false);
      const config = `tsconfig.${resolution}.json`;
      writeFileSync(
        join(app, config),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: resolution,
            target: "ES2022",
            // zod's own types name URL, which DOM (or @types/node) declares.
            lib: ["ES2023", "DOM"],
            strict: true,
            skipLibCheck,
            noEmit: true,
          },
          files: ["types.ts"],
        }),
      );
      await run(process.execPath, [tsc, "-p", config], app);
    },
    // tsc alone takes 8-10 s; a host shared with other jobs (load 14 on 2 cores) went past 30 s.
    120_000,
  );

  it("with zod 3 in the app, npm refuses the install and names the supported zod range", async () => {
    const other = join(work, "zod3-app");
    const failure = await installInto(other, tarball, { zod: "^3.25.0" }, ["--dry-run"]).then(
      () => "",
      (error: unknown) => String(error),
    );
    expect(failure).toContain("ERESOLVE");
    expect(failure).toContain(`peer zod@"${peerRange}" from telemetry-pipeline`);
  });
});

// What a user copies first: every ```ts block of the installed README and docs, compiled in an app
// with Node's types and run from a directory holding the shipped sample data.
describe("the TypeScript examples of the installed README and docs", () => {
  const compiled = () => {
    const examples = docExamples(join(app, "node_modules/telemetry-pipeline"));
    const dir = join(app, "doc-examples");
    const config = writeExamples(dir, examples, join(root, "node_modules/@types"));
    const tscRun = spawnSync(process.execPath, [tsc, "-p", config], { cwd: dir, encoding: "utf8" });
    return { examples, dir, errors: errorLines(tscRun.stdout) };
  };

  it("compile, except the lines they say do not (and those do not)", () => {
    const { examples, errors } = compiled();
    expect(new Set(examples.map((e) => e.where.split(":")[0]))).toEqual(
      new Set(["README.md", "docs/api.md", "docs/sdk.md"]),
    );
    const expected = examples.flatMap((e) => e.typeErrors.map((line) => `${e.file}:${line}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(errors).toEqual(expected);
  });

  it("run, and do what the docs say", async () => {
    const { examples, dir } = compiled();
    const runnable = examples.filter((e) => e.typeErrors.length === 0);
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    for (const example of runnable) {
      const cwd = mkdtempSync(join(work, "example-"));
      cpSync(join(root, "reports/telemetry"), join(cwd, "reports/telemetry"), { recursive: true });
      // docs/api.md renders the report an earlier `make telemetry-etl` (the CLI's etl) wrote.
      await run(join(app, "node_modules/.bin/telemetry-exporter"), ["etl", "-q"], cwd);
      const script = join(dir, "out", example.file.replace(/\.ts$/, ".js"));
      const ran = spawnSync(process.execPath, [script], { cwd, encoding: "utf8" });
      expect({ where: example.where, status: ran.status, stderr: ran.stderr }).toEqual({
        where: example.where,
        status: 0,
        stderr: example.code.includes("console.error") ? ran.stderr : "",
      });
      const last = (channel: string) =>
        JSON.parse(
          readFileSync(join(cwd, "reports/telemetry", `${channel}.jsonl`), "utf8")
            .trimEnd()
            .split("\n")
            .at(-1) ?? "",
        );
      if (example.code.includes("Button Clicked")) {
        expect(last("user")).toMatchObject({
          event: "Button Clicked",
          payload: { button: "save" },
        });
        expect(last("simulation")).toMatchObject({
          event: "sim:tick",
          timestamp: "2025-03-01T08:00:00.000Z",
        });
      }
      if (example.code.includes("exportEvents")) {
        expect(readFileSync("/tmp/e.parquet").subarray(0, 4).toString()).toBe("PAR1");
        rmSync("/tmp/e.parquet");
        expect(ran.stdout).toContain("events");
      }
    }
  }, 120_000);
});
