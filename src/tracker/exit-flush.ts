import { isMainThread } from "node:worker_threads";

/** Something holding buffered events that must reach the disk before the process ends. */
export interface Flushable {
  flushSync(): void;
  /** The exit flush has run: from now on, events must be written as they are recorded. */
  writeThrough(): void;
}

const live = new Set<Flushable>();
const withSignals = new Set<Flushable>();
let exitInstalled = false;
let signalsInstalled = false;
let exitFlushed = false;
const SIGNALS = ["SIGTERM", "SIGINT"] as const;

// 'exit' runs on a natural end, on process.exit() and after an uncaught exception; only
// synchronous work can happen there, which is why channel files write synchronously. Other
// 'exit' listeners may run after this one and still record: those events are written at once.
function onExit(): void {
  exitFlushed = true;
  for (const item of live) {
    item.flushSync();
    item.writeThrough();
  }
}

function onSignal(signal: NodeJS.Signals): void {
  for (const item of live) item.flushSync();
  // Alone, we would have swallowed the signal's default action (ending the process): restore
  // it and re-raise. With other listeners, the application owns shutdown; 'exit' flushes again.
  if (process.listenerCount(signal) === 1) {
    uninstallSignals();
    process.kill(process.pid, signal);
  }
}

function uninstallSignals(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
  signalsInstalled = false;
}

/**
 * Flushes `item` when the process exits (and on SIGTERM/SIGINT when `signals`), until
 * unregistered. Returns true when the exit flush has already run (a tracker created by an
 * 'exit' listener), so the caller writes every event at once.
 */
export function registerExitFlush(item: Flushable, signals: boolean): boolean {
  live.add(item);
  if (!exitInstalled) {
    exitInstalled = true;
    process.on("exit", onExit);
  }
  // A worker thread never receives process signals (and writes each event at once by default).
  if (signals && isMainThread) {
    withSignals.add(item);
    if (!signalsInstalled) {
      signalsInstalled = true;
      for (const signal of SIGNALS) process.on(signal, onSignal);
    }
  }
  return exitFlushed;
}

/** Stops flushing `item` at exit. */
export function unregisterExitFlush(item: Flushable): void {
  live.delete(item);
  withSignals.delete(item);
  if (withSignals.size === 0 && signalsInstalled) uninstallSignals();
}
