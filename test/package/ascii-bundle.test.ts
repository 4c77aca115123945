import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a build script in plain JavaScript, without types
import { asciiDependencies, assertAscii } from "../../scripts/ascii-bundle.mjs";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

const { loadBundle, cacheFile } = createRequire(import.meta.url)(join(ROOT, "bin/load-cli.cjs"));

describe("ASCII bundles (scripts/ascii-bundle.mjs, bin/load-cli.cjs)", () => {
  it("fails a build whose bundle holds a non-ASCII character, naming the file and line", () => {
    expect(() => assertAscii("main.cjs", "a\nb\n// caf\u00e9\n")).toThrow(
      'main.cjs:3: non-ASCII character "\u00e9" in the bundle',
    );
    expect(() => assertAscii("main.cjs", "const s = '\\u00e9';\n")).not.toThrow();
  });

  it("drops a dependency's non-ASCII comments and escapes its strings, keeping their values", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "node_modules", "dep"), { recursive: true });
    writeFileSync(
      join(dir, "node_modules", "dep", "index.js"),
      "// nothing is a multiple of zero \u2014 see below\nexports.text = 'caf\u00e9 \u2026 \u{1f600}';\n",
    );
    writeFileSync(join(dir, "entry.js"), 'module.exports = require("dep").text;\n');
    const out = await build({
      absWorkingDir: dir,
      entryPoints: ["entry.js"],
      bundle: true,
      write: false,
      platform: "node",
      format: "cjs",
      charset: "ascii",
      plugins: [asciiDependencies],
    });
    const text = out.outputFiles[0]?.text ?? "";
    expect(() => assertAscii("out.cjs", text)).not.toThrow();
    expect(text).not.toContain("multiple of zero");
    const file = join(dir, "out.cjs");
    writeFileSync(file, text);
    expect(loadBundle(file, false).exports).toBe("caf\u00e9 \u2026 \u{1f600}");
  });

  it("loads a bundle that is not ASCII as UTF-8, its cache checked against its bytes", () => {
    const dir = tempDir();
    const file = join(dir, "bundle.cjs");
    const source = 'module.exports = "caf\u00e9 \u2026";\n';
    writeFileSync(file, source);
    const first = loadBundle(file, false);
    expect(first.exports).toBe("caf\u00e9 \u2026");
    writeFileSync(`${file}.cache`, cacheFile(Buffer.from(source), first.script.createCachedData()));
    const cached = loadBundle(file);
    expect(cached.exports).toBe("caf\u00e9 \u2026");
    expect(cached.cacheRejected).toBe(false);
    // A cache made for other bytes of the same length is not given to V8.
    writeFileSync(file, source.replace("caf", "cab"));
    expect(loadBundle(file).cacheRejected).toBe(true);
  });
});
