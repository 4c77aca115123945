import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeHtmlReport } from "../../src/exporter/index.js";
import { runCli } from "../helpers/cli.js";
import { recordSample } from "../helpers/sample-events.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("report --output", () => {
  it("is written once, as HTML: no aggregate JSON lands there first", async () => {
    const input = tempDir();
    await recordSample(input, 12);
    const output = join(tempDir(), "r.html");
    // Rendering fails after the inputs are read: the output must not exist, let alone hold JSON.
    const options = {
      inputs: [input],
      output,
      get title(): string {
        throw new Error("rendering failed");
      },
    };
    await expect(writeHtmlReport(options)).rejects.toThrow("rendering failed");
    expect(existsSync(output)).toBe(false);
  });

  it("holds the HTML page after a CLI run", async () => {
    const input = tempDir();
    await recordSample(input, 12);
    const output = join(tempDir(), "r.html");
    const run = await runCli(["report", "--input", input, "--output", output, "--quiet"]);
    expect(run.code).toBe(0);
    expect(readFileSync(output, "utf8")).toMatch(/^<!doctype html>/i);
  });
});
