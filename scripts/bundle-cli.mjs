// Bundles the command-line program into dist/cli/: its entry and the two worker threads' entries,
// with shared code in common chunks and each lazily imported module in a chunk of its own. Run
// after `tsc` (make build, npm pack). Why: the unbundled CLI loads about 150 ES modules before it
// reads a line (yargs' alone are 59), and each thread loads its own; one file each starts about
// 35 ms sooner (BENCHMARKS.md). The library entries stay as tsc writes them.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = new URL("../", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

// zod's namespace object re-exports its message translations (64 locales, about 400 KB of the
// bundle) that only `z.config(z.locales.X())` would use; the CLI never does, and compiling them
// cost every run that loads zod (an incremental run's state check) about 10 ms. Its English
// messages, the default, are imported by zod directly, not through this index.
const onlyEnglishZodMessages = {
  name: "only-english-zod-messages",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: fileURLToPath(new URL("node_modules/zod/v4/locales/", root)),
    }));
  },
};

// Chunk names change with their content: one left from an earlier build would be packed too.
rmSync(new URL("dist/cli/", root), { recursive: true, force: true });

await build({
  // A path, not the URL's pathname: that one keeps a space as %20.
  absWorkingDir: fileURLToPath(root),
  entryPoints: {
    main: "src/exporter/cli/main.ts",
    "segment-worker": "src/exporter/engine/segment-worker.ts",
    "parquet-encoder-worker": "src/exporter/sinks/parquet/parquet-encoder-worker.ts",
  },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Read by version.ts and start-worker.ts instead of files beside the unbundled modules.
  define: {
    TELEMETRY_PACKAGE_VERSION: JSON.stringify(version),
    TELEMETRY_CLI_BUNDLE: "true",
  },
  // yargs, zod and hyparquet go in too: the bundle needs no module resolution at start-up.
  logLevel: "warning",
  plugins: [onlyEnglishZodMessages],
});
