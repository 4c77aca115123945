// docs/errors.md is checked against the code: the codes it lists are exactly TelemetryError's,
// the messages it quotes are the ones the API and the CLI give, and the exit code it gives each
// exporter code is the CLI's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { TelemetryError } from "../../src/errors/index.js";
import { exitCodeFor } from "../../src/exporter/cli/exit-codes.js";
import { exportEvents } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
// One line: the quotes span line breaks.
const errors = readFileSync(join(root, "docs/errors.md"), "utf8").replace(/\s*\n\s*/g, " ");

/** The codes of the `TelemetryErrorCode` union, read from its declaration. */
function declaredCodes(): string[] {
  const source = readFileSync(join(root, "src/errors/telemetry-error.ts"), "utf8");
  const union = /export type TelemetryErrorCode =([^;]*);/.exec(source)?.[1] ?? "";
  return [...union.matchAll(/\| "([a-z_]+)"/g)].map((m) => m[1] as string);
}

const exporterCodes = (/The exporter's errors \(([^)]*)\)/.exec(errors)?.[1] ?? "")
  .split(", ")
  .map((c) => c.replace(/`/g, ""));

/** The quoted text that starts with `start`. */
function quoted(start: string): string {
  const found = new RegExp(`"(${start.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*?)" \\(exit`).exec(
    errors,
  );
  if (found === null) throw new Error(`docs/errors.md quotes no message starting ${start}`);
  return found[1] as string;
}

describe("docs/errors.md", () => {
  it("lists every TelemetryError code, and no other", () => {
    const tracker = [...errors.matchAll(/\| `([a-z_]+)` +\| `/g)].map((m) => m[1] as string);
    expect(tracker.length).toBeGreaterThan(5);
    const documented = new Set([...tracker, ...exporterCodes]);
    expect([...documented].sort()).toEqual(declaredCodes().sort());
  });

  it("quotes the API's message and path for a bad option, and the CLI's with its flag", async () => {
    const api = /the message "(`rowGroupSize`[^"]*)"/.exec(errors)?.[1];
    const error = await exportEvents({
      inputs: [tempDir()],
      output: join(tempDir(), "e.parquet"),
      format: "parquet",
      rowGroupSize: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelemetryError);
    expect(error).toMatchObject({ code: "usage", path: ["rowGroupSize"], message: api });
    const input = tempDir();
    await recordSample(input, 3);
    const output = join(tempDir(), "e.parquet");
    const bad = ["-i", input, "-f", "parquet", "-o", output, "--row-group-size", "0"];
    const cli = await runCli(["export", ...bad]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`error: ${quoted("--row-group-size")}\n`);
  });

  it("quotes the CLI's message for a --workers out of range", async () => {
    const input = tempDir();
    await recordSample(input, 3);
    const run = await runCli(["validate", "-i", input, "--workers", "33"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${quoted("--workers must")}\n`);
  });

  it("gives each exporter code the exit code the CLI ends with", () => {
    const said = /The CLI exits (.*?) on the others/.exec(errors)?.[1] ?? "";
    const exits = new Map<string, number>();
    for (const [, codes, exit] of said.matchAll(/(\d) on ((?:`[a-z_]+`(?:, | and )?)+)/g)) {
      for (const code of (exit ?? "").match(/[a-z_]+/g) ?? []) exits.set(code, Number(codes));
    }
    const other = Number(/(\d) on the others/.exec(errors)?.[1]);
    expect(exits.size).toBeGreaterThan(0);
    for (const code of exporterCodes) {
      const error = new TelemetryError(code as TelemetryError["code"], "x");
      expect({ code, exit: exitCodeFor(error) }).toEqual({ code, exit: exits.get(code) ?? other });
    }
  });
});
