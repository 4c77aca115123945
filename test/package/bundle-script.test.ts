import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

describe("scripts/bundle-cli.mjs", () => {
  it("bundles the CLI from a checkout whose path has a space and non-ASCII letters", () => {
    const checkout = join(tempDir(), "my checkout é");
    mkdirSync(join(checkout, "scripts"), { recursive: true });
    cpSync(join(ROOT, "src"), join(checkout, "src"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(checkout, "package.json"));
    cpSync(join(ROOT, "scripts/bundle-cli.mjs"), join(checkout, "scripts/bundle-cli.mjs"));
    symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"), "dir");
    const run = spawnSync(process.execPath, ["scripts/bundle-cli.mjs"], {
      cwd: checkout,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const entry of ["main.js", "segment-worker.js", "parquet-encoder-worker.js"]) {
      expect(existsSync(join(checkout, "dist/cli", entry)), entry).toBe(true);
    }
  });
});
