// Bundles the command-line program into dist/cli/: its entry as one CommonJS file with a V8 code
// cache (scripts/cli-code-cache.mjs), and the two worker threads' entries, with shared code in
// common chunks. Run after `tsc` (make build, npm pack). Why: the unbundled CLI loads about 150
// ES modules before it reads a line (yargs' alone are 59), and each thread loads its own; one
// file each starts about 35 ms sooner, and the cache saves most of the compiling after that
// (BENCHMARKS.md). The library entries stay as tsc writes them.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { asciiDependencies, assertAscii } from "./ascii-bundle.mjs";

const root = new URL("../", import.meta.url);
const rootPath = fileURLToPath(root);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

// zod's namespace object re-exports its message translations (64 locales, about 400 KB of the
// bundle) that only `z.config(z.locales.X())` would use; the CLI never does, and loading them
// cost every run that loads zod (an incremental run's state check) about 6 ms. Its English
// messages, the default, are imported by zod directly, not through this index.
const onlyEnglishZodMessages = {
  name: "only-english-zod-messages",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: resolve(rootPath, "node_modules/zod/v4/locales"),
    }));
  },
};

// string-width (three copies, through yargs' help layout) builds an Intl.Segmenter and Unicode
// property expressions (\p{RGI_Emoji}) as its module loads: about 17 ms of every run, for text
// only `<command> --help` lays out. Each import of it gets a stand-in that loads it on its first
// call (a require() of an ES module makes esbuild evaluate that module then, not at load).
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real === true) return undefined;
      const real = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { real: true },
      });
      if (real.errors.length > 0) return { errors: real.errors };
      // Relative, as esbuild names every other module in the bundle: an absolute path would put
      // the build machine's checkout into the package (and into every build's bytes).
      return { path: relative(rootPath, real.path), namespace: "lazy-string-width" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy-string-width" }, (args) => {
      const path = resolve(rootPath, args.path);
      return {
        contents: `let real;
module.exports = (text, options) => {
  real ??= require(${JSON.stringify(path)}).default;
  return real(text, options);
};`,
        loader: "js",
        resolveDir: dirname(path),
      };
    });
  },
};

// Chunk names change with their content: one left from an earlier build would be packed too.
rmSync(new URL("dist/cli/", root), { recursive: true, force: true });

const common = {
  // A path, not the URL's pathname: that one keeps a space as %20.
  absWorkingDir: rootPath,
  bundle: true,
  platform: "node",
  target: "node20",
  // yargs, zod and hyparquet go in too: the bundle needs no module resolution at start-up.
  logLevel: "warning",
  charset: "ascii",
  plugins: [onlyEnglishZodMessages, lazyStringWidth, asciiDependencies],
};
// Read by version.ts and start-worker.ts instead of files beside the unbundled modules.
const define = {
  TELEMETRY_PACKAGE_VERSION: JSON.stringify(version),
  TELEMETRY_CLI_BUNDLE: "true",
};

// The worker threads' entries: CommonJS files, each with its code cache (made by
// cli-code-cache.mjs, loaded by bin/load-cli.cjs), as the main thread's. As ES modules, each
// thread compiled its code again, and set up Node's module loader for it: about 14 ms more
// before a thread read its first line.
await build({
  ...common,
  entryPoints: {
    "segment-worker": "src/exporter/engine/segment-worker.ts",
    "parquet-encoder-worker": "src/exporter/sinks/parquet/parquet-encoder-worker.ts",
  },
  outdir: "dist/cli",
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  define: { ...define, "import.meta.url": "__cliModuleUrl" },
  banner: { js: 'var __cliModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});

// The main thread's: one CommonJS file, whose compiled code V8 can cache (bin/load-cli.cjs).
// Its worker entries are found beside it, through the URL of this file.
await build({
  ...common,
  entryPoints: ["src/exporter/cli/main.ts"],
  outfile: "dist/cli/main.cjs",
  format: "cjs",
  define: { ...define, "import.meta.url": "__cliModuleUrl" },
  banner: { js: 'var __cliModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});

for (const name of readdirSync(new URL("dist/cli/", root))) {
  if (name.endsWith(".cjs"))
    assertAscii(name, readFileSync(new URL(`dist/cli/${name}`, root), "latin1"));
}

// The code cache, made by a process of its own: its V8 flags are then a plain run's. Not the
// builder's NODE_OPTIONS (a CI's --max-old-space-size): V8 refuses a cache made under other
// flags, and every user's run would compile the whole bundle again.
const { NODE_OPTIONS: _builderOptions, ...plainEnv } = process.env;
execFileSync(process.execPath, [fileURLToPath(new URL("cli-code-cache.mjs", import.meta.url))], {
  stdio: "inherit",
  env: plainEnv,
});
