import { isMainThread } from "node:worker_threads";
import { type Flushable, type FlushRegistry, flushEvery, flushRegistry } from "./flush-registry.js";
import { installSignalFlush, uninstallSignalFlush } from "./signal-flush.js";

// 'exit' runs on a natural end, on process.exit() and after an uncaught exception; only
// synchronous work can happen there, which is why channel files write synchronously. Other
// 'exit' listeners may run after this one and still record: those events are written at once.
function onExit(registry: FlushRegistry): void {
  registry.exitFlushed = true;
  flushEvery(registry.live, (item) => item.writeThrough());
}

/**
 * Flushes `item` when the process exits (and on SIGTERM/SIGINT/SIGHUP when `signals`), until
 * unregistered. Returns true when the exit flush has already run (a tracker created by an
 * 'exit' listener), so the caller writes every event at once.
 */
export function registerExitFlush(item: Flushable, signals: boolean): boolean {
  // One registry for every copy of the package in this thread: one exit flush, one signal rule.
  const registry = flushRegistry();
  registry.live.add(item);
  registry.onExit ??= () => onExit(registry);
  if (!process.rawListeners("exit").includes(registry.onExit)) process.on("exit", registry.onExit);
  // A worker thread never receives process signals (and writes each event at once by default).
  if (signals && isMainThread) {
    registry.withSignals.add(item);
    installSignalFlush(registry);
  }
  return registry.exitFlushed;
}

/** Stops flushing `item` at exit; the last tracker with signals gives the signals back. */
export function unregisterExitFlush(item: Flushable): void {
  const registry = flushRegistry();
  registry.live.delete(item);
  if (registry.withSignals.delete(item) && registry.withSignals.size === 0)
    uninstallSignalFlush(registry);
}
