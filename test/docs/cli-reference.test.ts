// docs/cli.md's tables are checked against the code they describe: which commands take each
// flag and its default (read from the commands' own flag declarations, as yargs gets them), the
// exit codes, and each diagnostic code's severity. A default changed in the code, or a flag
// added to a command, fails here until the reference says so.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/exporter/cli/command-table.js";
import { EXIT, EXIT_CODES_HELP } from "../../src/exporter/cli/exit-codes.js";
import { type DiagnosticCode, severityOf } from "../../src/exporter/model/diagnostics.js";
import { DEFAULT_MAX_WORKERS } from "../../src/exporter/plan/check-workers.js";
import { declaredFlags, type FlagConfig } from "../helpers/declared-flags.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const reference = readFileSync(join(root, "docs/cli.md"), "utf8");

const declared = new Map(COMMANDS.map((c) => [c.name, declaredFlags(c)]));

/** The cells of the table rows between `start` and `end` whose first cell starts as `first`. */
function tableRows(start: string, end: string, first: RegExp): string[][] {
  const from = reference.indexOf(start);
  const text = reference.slice(from, reference.indexOf(end, from));
  return text
    .split("\n")
    .filter((line) => first.test(line))
    .map((line) => line.split(" | ").map((cell) => cell.replace(/^\|\s*|\s*\|$/g, "").trim()));
}

const flagRows = tableRows("| Flag ", "**Inputs.**", /^\| `-/).map(([flags, commands, dflt]) => ({
  flags: [...(flags ?? "").matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1] as string),
  commands: commands ?? "",
  dflt: dflt ?? "",
}));

/** The commands a Commands cell names: `all`, `all but a, b`, or a list. */
function commandsOf(cell: string): string[] {
  const all = COMMANDS.map((c) => c.name);
  const but = /^all(?: but (.+))?$/.exec(cell);
  if (but === null) return cell.split(", ");
  const left = but[1]?.split(", ") ?? [];
  return all.filter((name) => !left.includes(name));
}

/** A flag's default as yargs has it, or as its help says when the command applies it. */
function parserDefault(config: FlagConfig): unknown {
  if (config.default !== undefined) return config.default;
  const said = /\[default: ([^\]]+)\]/.exec(config.describe ?? "")?.[1];
  return said === undefined ? undefined : said.split(" ");
}

describe("docs/cli.md's flag table", () => {
  it("lists every flag of every command, once", () => {
    const documented = flagRows.flatMap((row) => row.flags);
    const flags = new Set([...declared.values()].flatMap((f) => [...f.keys()]));
    expect([...documented].sort()).toEqual([...flags].sort());
  });

  it("names, for each flag, exactly the commands that take it", () => {
    for (const row of flagRows) {
      for (const flag of row.flags) {
        const takers = COMMANDS.filter((c) => declared.get(c.name)?.has(flag)).map((c) => c.name);
        expect({ flag, commands: commandsOf(row.commands).sort() }).toEqual({
          flag,
          commands: takers.sort(),
        });
      }
    }
  });

  it("gives each flag the default its commands apply", () => {
    const etlRecipe = readFileSync(join(root, "Makefile"), "utf8").match(
      /^telemetry-etl:.*\n\t(.*)$/m,
    )?.[1];
    for (const row of flagRows) {
      for (const flag of row.flags) {
        for (const name of commandsOf(row.commands)) {
          const config = declared.get(name)?.get(flag) as FlagConfig;
          const actual = parserDefault(config);
          const where = `${name} ${flag}: ${row.dflt}`;
          const literal = /^`([^`]+)`$/.exec(row.dflt)?.[1];
          if (literal !== undefined) {
            const value = /^\d+$/.test(literal) ? Number(literal) : literal;
            expect(actual, where).toEqual(Array.isArray(actual) ? [value] : value);
          } else if (/^off\b/.test(row.dflt)) {
            expect(actual, where).toBe(false);
          } else if (row.dflt === "none" || row.dflt === "all") {
            expect(actual, where).toBeUndefined();
          } else if (row.dflt === "see above") {
            // The command table says each command's default output, or that it is required.
            const line = reference.split("\n").find((l) => l.startsWith(`| \`${name}\``)) ?? "";
            if (config.demandOption !== undefined) expect(line, where).toContain("is required");
            else expect(line, where).toContain(`(default \`${actual}\`)`);
          } else if (flag === "workers") {
            // Chosen by the run's plan (test/exporter/units/plan-workers.test.ts), as help says.
            expect(actual, where).toBeUndefined();
            expect(row.dflt).toBe(`one per core, at most ${DEFAULT_MAX_WORKERS}`);
            expect(config.describe).toContain(row.dflt);
          } else if (flag === "host") {
            // Applied by the library (os.hostname(), test/exporter/writer-ownership.test.ts).
            expect(actual, where).toBeUndefined();
            expect(config.describe).toContain("this machine's host name");
          } else {
            throw new Error(`teach this test the default of ${where}`);
          }
          if (row.dflt.includes("`make telemetry-etl`: on")) {
            expect(etlRecipe).toMatch(/ etl --incremental /);
          }
        }
      }
    }
  });
});

describe("docs/cli.md's other tables", () => {
  it("the exit codes are the CLI's, and --help shows the same ones", () => {
    const rows = tableRows("**Exit codes**", "Results and paths", /^\| \d/);
    const documented = rows.map(([code]) => Number(code));
    expect(documented).toEqual(Object.values(EXIT));
    for (const code of documented) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code}  `, "m"));
  });

  it("the README's one-line list of exit codes has the same codes", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8").replace(/\s*\n\s*/g, " ");
    const line = /Exit codes: ((?:\d [^,.]+(?:, |\.))+)/.exec(readme)?.[1] ?? "";
    expect([...line.matchAll(/(\d) /g)].map((m) => Number(m[1]))).toEqual(Object.values(EXIT));
  });

  it("each diagnostic code has the severity the exporter gives it", () => {
    const rows = tableRows("**Diagnostics.**", "**Exit codes**", /^\| `[a-z0-9_]+`/);
    expect(rows.length).toBe(13);
    for (const [code, severity] of rows) {
      const name = (code ?? "").replace(/`/g, "") as DiagnosticCode;
      expect({ name, severity }).toEqual({ name, severity: severityOf(name) });
    }
  });

  it("the report schema's description of a diagnostic's code names the same codes", () => {
    const rows = tableRows("**Diagnostics.**", "**Exit codes**", /^\| `[a-z0-9_]+`/);
    const documented = rows.map(([code]) => (code ?? "").replace(/`/g, "")).sort();
    const schema = JSON.parse(
      readFileSync(join(root, "schema/telemetry_aggregates.schema.json"), "utf8"),
    ) as { $defs?: unknown };
    const text = JSON.stringify(schema);
    const description = /"description":"A stable diagnostic code[^"]*"/.exec(text)?.[0] ?? "";
    const named = [...description.matchAll(/\b([a-z0-9]+(?:_[a-z0-9]+)+)\b/g)].map((m) => m[1]);
    expect([...new Set(named)].sort()).toEqual(documented);
  });
});
