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
  const ext = base.endsWith(".ts") ? "ts" : "js";
  const entry = JSON.stringify(new URL(`${relative}.${ext}`, base).href);
  // Each thread loads its own modules: zod is loaded gently in workers too (see loadZodGently),
  // except in the CLI bundle, where zod is part of one file and the worker entries sit beside
  // this code (scripts/bundle-cli.mjs).
  const preload = JSON.stringify(new URL(`../../schema/zod-preload.${ext}`, import.meta.url).href);
  const load =
    typeof TELEMETRY_CLI_BUNDLE === "boolean"
      ? `import(${entry})`
      : `import(${preload}).then((z) => z.loadZodGently()).then(() => import(${entry}))`;
  const bootstrap =
    ext === "js"
      ? load
      : `import("tsx/esm/api").then((tsx) => { tsx.register(); return ${load}; });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
