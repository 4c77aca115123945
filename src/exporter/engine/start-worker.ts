import { Worker } from "node:worker_threads";

/** Heap caps for worker threads: they hold bounded data, so they should collect early, not grow. */
export type WorkerLimits = NonNullable<ConstructorParameters<typeof Worker>[1]>["resourceLimits"];

/**
 * Starts the worker script `relative` (resolved beside `base`, without extension). Running from
 * TypeScript sources (tests), the script is a .ts file: a small bootstrap registers tsx in the
 * worker thread first, since loader flags do not carry over to workers on Node 20.
 */
export function startWorker(
  base: string,
  relative: string,
  resourceLimits: WorkerLimits,
  workerData?: unknown,
): Worker {
  const options = { workerData, ...(resourceLimits === undefined ? {} : { resourceLimits }) };
  if (!base.endsWith(".ts")) return new Worker(new URL(`${relative}.js`, base), options);
  const entry = new URL(`${relative}.ts`, base).href;
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
