import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// Defined only in the CLI bundle (scripts/bundle-cli.mjs).
declare const TELEMETRY_CLI_BUNDLE: boolean | undefined;

/** Heap caps for worker threads: they hold bounded data, so they should collect early, not grow. */
export type WorkerLimits = NonNullable<ConstructorParameters<typeof Worker>[1]>["resourceLimits"];

/**
 * Starts the worker script `relative` (resolved beside `base`, without extension), through a
 * small bootstrap. Running from TypeScript sources under tsx, the script is a .ts file: the
 * bootstrap registers tsx in the worker thread first, since loader flags do not carry over to
 * workers on Node 20.
 */
export function startWorker(
  base: string,
  relative: string,
  resourceLimits: WorkerLimits,
  workerData?: unknown,
): Worker {
  // `stdout: true`: the thread's stdout is not piped into the process's. Each such pipe adds a
  // listener to process.stdout, and with 8 threads, a StreamSink waiting for it to drain made 11
  // and Node printed a MaxListenersExceededWarning. The threads never write to stdout.
  const options = {
    workerData,
    stdout: true,
    ...(resourceLimits === undefined ? {} : { resourceLimits }),
  };
  // In the CLI bundle, each thread's code is a CommonJS bundle of its own beside this code, which
  // the loader of the CLI's bundle runs with its code cache (scripts/bundle-cli.mjs). The loader
  // is the thread's entry, a file: code given as text would be an ES module under a process's
  // --input-type=module, where `require` is not defined.
  if (typeof TELEMETRY_CLI_BUNDLE === "boolean") {
    const loader = fileURLToPath(new URL("../../bin/load-cli.cjs", base));
    const bundle = fileURLToPath(new URL(`${relative}.cjs`, base));
    return new Worker(loader, { ...options, argv: [bundle] });
  }
  const ext = base.endsWith(".ts") ? "ts" : "js";
  const entry = JSON.stringify(new URL(`${relative}.${ext}`, base).href);
  // Each thread loads its own modules: zod is loaded gently in workers too (see loadZodGently).
  const preload = JSON.stringify(new URL(`../../schema/zod-preload.${ext}`, import.meta.url).href);
  const load = `import(${preload}).then((z) => z.loadZodGently()).then(() => import(${entry}))`;
  const bootstrap =
    ext === "js"
      ? load
      : `import("tsx/esm/api").then((tsx) => { tsx.register(); return ${load}; });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
