/** Something holding buffered events that must reach the disk before the process ends. */
export interface Flushable {
  flushSync(): void;
}

const live = new Set<Flushable>();
let installed = false;

// 'exit' runs on a natural end, on process.exit() and after an uncaught exception; only
// synchronous work can happen there, which is why channel files write synchronously.
function flushAll(): void {
  for (const item of live) item.flushSync();
}

/** Flushes `item` when the process exits, until {@link unregisterExitFlush} is called. */
export function registerExitFlush(item: Flushable): void {
  live.add(item);
  if (!installed) {
    installed = true;
    process.on("exit", flushAll);
  }
}

/** Stops flushing `item` at exit. */
export function unregisterExitFlush(item: Flushable): void {
  live.delete(item);
}
