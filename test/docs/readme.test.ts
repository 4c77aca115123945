// The README and docs/ are checked against the code: the commands a new user runs first, the
// Python snippet (run against a real export), the SDK options table, every flag and every
// documented command line, and every link.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/exporter/cli/command-table.js";
import { buildParser } from "../../src/exporter/cli/parser.js";
import { flagNamesOf } from "../../src/exporter/cli/suggest.js";
import { DEFAULT_OUTPUT_DIR, ETL_FILES, runEtl } from "../../src/exporter/index.js";
import { resolveTrackerOptions } from "../../src/tracker/options.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const readme = readFileSync(join(root, "README.md"), "utf8");
const docFiles = readdirSync(join(root, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => join("docs", name));
const documents = ["README.md", "SECURITY.md", ...docFiles].map((path) => ({
  path,
  text: readFileSync(join(root, path), "utf8"),
}));

function blocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, "gm"))].map(
    (m) => m[1] ?? "",
  );
}

// Shell words of one command line: quotes group, a # starts a comment.
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(#.*$)|(\S+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4] ?? "");
  }
  return out;
}

describe("README", () => {
  it("starts with the two commands a new user needs, and says what to open afterwards", () => {
    const first = blocks(readme, "bash")[0] ?? "";
    expect(readme.indexOf(first)).toBeLessThan(1200);
    expect(first).toMatch(/^make telemetry-etl\b/m);
    expect(first).toMatch(/^make test\b/m);
    const report = `${DEFAULT_OUTPUT_DIR}/${ETL_FILES.report}`;
    const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## SDK"));
    expect(quickStart).toContain(`open **\`${report}\`**`);
  });

  it("the Python snippet runs against a real export of the shipped sample data", async () => {
    const [snippet] = blocks(readme, "python");
    expect(snippet).toContain('Path("reports/analytics/telemetry_events.json")');
    const cwd = tempDir();
    cpSync(join(root, "reports", "telemetry"), join(cwd, "reports", "telemetry"), {
      recursive: true,
    });
    const { scan, report } = await runEtl({
      inputs: [join(cwd, "reports", "telemetry")],
      outputDir: join(cwd, "reports", "analytics"),
    });
    expect(scan.totals.valid).toBeGreaterThan(0);
    const run = spawnSync("python3", ["-c", snippet ?? ""], { cwd, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe(`User-facing actions recorded: ${report.by_channel.user}\n`);
  });

  it("the CLI's example commands run on the shipped sample data (exit 0)", () => {
    const block = readme.slice(readme.indexOf("## CLI in one screen"));
    // `compact` needs a dataset shared by several writers: shared-dataset.test.ts runs it.
    const lines = (blocks(block, "bash")[0] ?? "")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("telemetry-exporter compact "));
    expect(lines.length).toBeGreaterThan(5);
    const cwd = tempDir();
    cpSync(join(root, "reports", "telemetry"), join(cwd, "reports", "telemetry"), {
      recursive: true,
    });
    const bin = join(root, "bin", "telemetry-exporter.cjs");
    // In order: `summary --from` reads what `aggregate` wrote. Absolute /tmp paths go to cwd.
    for (const line of lines) {
      const args = words(line)
        .slice(1)
        .map((w) => w.replace(/^\/tmp\//, `${cwd}/`));
      const run = spawnSync(process.execPath, [bin, ...args, "-q"], { cwd, encoding: "utf8" });
      expect({ line, code: run.status, stderr: run.stderr }).toEqual({ line, code: 0, stderr: "" });
    }
    expect(existsSync(join(cwd, "reports", "analytics", "telemetry_report.html"))).toBe(true);
  });

  it("the CLI's command table lists every command", () => {
    const block = readme.slice(
      readme.indexOf("## CLI in one screen"),
      readme.indexOf("## Analysing"),
    );
    const listed = [...block.matchAll(/^\| `([a-z]+)`/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it("the SDK options table lists every option the Tracker accepts, and no other", () => {
    const table = readme.slice(readme.indexOf("| Option"), readme.indexOf("More: the catalogue"));
    const documented = [...table.matchAll(/^\| `([A-Za-z]+)`/gm)].map((m) => m[1]);
    const accepted = Object.keys(resolveTrackerOptions({}));
    expect(documented.sort()).toEqual(accepted.sort());
  });
});

describe("README and docs/", () => {
  // Flags of other tools the docs mention (tsc, the bench, Node's V8), and the typo shown to
  // explain the did-you-mean: not the CLI's.
  const OTHER_TOOLS = new Set([
    "--smoke",
    "--noEmit",
    "--formt",
    "--no-concurrent-recompilation",
    "--freeze-flags-after-init",
    "--jitless",
  ]);
  const cliFlags = new Set(
    COMMANDS.flatMap((c) => flagNamesOf(c)).map((n) => (n.length === 1 ? `-${n}` : `--${n}`)),
  );

  it("name only flags the CLI has", () => {
    const unknown: string[] = [];
    for (const { path, text } of documents) {
      for (const m of text.matchAll(/(?<![\w-])--[a-zA-Z][a-zA-Z-]*/g)) {
        if (!cliFlags.has(m[0]) && !OTHER_TOOLS.has(m[0])) unknown.push(`${path}: ${m[0]}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("show only command lines the CLI accepts", async () => {
    const lines = documents.flatMap(({ path, text }) =>
      blocks(text, "bash")
        .flatMap((b) => b.replace(/\\\n\s*/g, " ").split("\n"))
        .filter((l) => /^(npx )?telemetry-exporter |^node bin\/telemetry-exporter\.cjs /.test(l))
        .map((line) => ({ path, line })),
    );
    expect(lines.length).toBeGreaterThan(8);
    for (const { path, line } of lines) {
      const args = words(line).slice(line.startsWith("telemetry-exporter") ? 1 : 2);
      const error = await new Promise<Error | undefined>((done) => {
        buildParser("0").parse(args, {}, (e: Error | undefined) => done(e ?? undefined));
      });
      expect(error?.message, `${path}: ${line}`).toBeUndefined();
    }
  });

  // SECURITY.md names, for each guarantee, the test that holds it: a test moved or renamed
  // must not leave the guarantee pointing at nothing.
  it("name only test files that exist", () => {
    const missing: string[] = [];
    for (const { path, text } of documents) {
      for (const m of text.matchAll(/`(test\/[\w./-]+\.(?:ts|cjs|mjs))`/g)) {
        if (!existsSync(join(root, m[1] ?? ""))) missing.push(`${path}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("link only to files that exist", () => {
    const broken: string[] = [];
    for (const { path, text } of documents) {
      for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
        const target = m[1] ?? "";
        if (/^(https?|mailto):/.test(target)) continue;
        if (!existsSync(resolve(root, dirname(path), target))) broken.push(`${path}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
