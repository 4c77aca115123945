/** Something holding buffered events that must reach the disk before the process ends. */
export interface Flushable {
  flushSync(): void;
}

const live = new Set<Flushable>();
const withSignals = new Set<Flushable>();
let exitInstalled = false;
let signalsInstalled = false;
const SIGNALS = ["SIGTERM", "SIGINT"] as const;

// 'exit' runs on a natural end, on process.exit() and after an uncaught exception; only
// synchronous work can happen there, which is why channel files write synchronously.
function flushAll(): void {
  for (const item of live) item.flushSync();
}

function onSignal(signal: NodeJS.Signals): void {
  flushAll();
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

/** Flushes `item` when the process exits (and on SIGTERM/SIGINT when `signals`), until unregistered. */
export function registerExitFlush(item: Flushable, signals: boolean): void {
  live.add(item);
  if (!exitInstalled) {
    exitInstalled = true;
    process.on("exit", flushAll);
  }
  if (signals) {
    withSignals.add(item);
    if (!signalsInstalled) {
      signalsInstalled = true;
      for (const signal of SIGNALS) process.on(signal, onSignal);
    }
  }
}

/** Stops flushing `item` at exit. */
export function unregisterExitFlush(item: Flushable): void {
  live.delete(item);
  withSignals.delete(item);
  if (withSignals.size === 0 && signalsInstalled) uninstallSignals();
}
