import { type FlushRegistry, flushEvery } from "./flush-registry.js";

// SIGHUP: a closed terminal or SSH session. Node ends the process on it (even under nohup, as
// Node resets its disposition at start-up), so its buffered events were lost as SIGTERM's were.
const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

function isHandledSignal(name: string | symbol): boolean {
  return (SIGNALS as readonly (string | symbol)[]).includes(name);
}

// The rule: the process keeps the meaning the signal would have without this package. Node ends
// a process on SIGTERM/SIGINT/SIGHUP only when nothing listens for it, so after flushing we re-raise
// exactly when no listener but ours was in line for this signal. Node drops a process.once()
// listener just before calling it, so one that ran ahead of ours is no longer counted by
// listenerCount(): its removal, seen through 'removeListener' during this same turn, is.
function onSignal(registry: FlushRegistry, signal: NodeJS.Signals): void {
  flushEvery(registry.live);
  if (otherListeners(registry, signal) > 0) return;
  // Alone, we swallowed the default action: restore it (no listener left) and re-raise.
  uninstallSignalFlush(registry);
  process.kill(process.pid, signal);
}

function otherListeners(registry: FlushRegistry, signal: NodeJS.Signals): number {
  const ours = process.rawListeners(signal).filter((l) => l === registry.onSignal).length;
  return process.listenerCount(signal) - ours + (registry.removedThisTurn.get(signal) ?? 0);
}

// A signal's listeners run synchronously in one turn, and ticks queued meanwhile run only after
// the last of them: so what is counted here was removed during this emit, or just before it in
// the same synchronous code (only possible when code emits the signal event itself).
function onRemoveListener(registry: FlushRegistry, name: string | symbol, listener: unknown): void {
  if (!isHandledSignal(name) || listener === registry.onSignal) return;
  registry.removedThisTurn.set(name, (registry.removedThisTurn.get(name) ?? 0) + 1);
  if (registry.clearScheduled) return;
  registry.clearScheduled = true;
  process.nextTick(() => {
    registry.removedThisTurn.clear();
    registry.clearScheduled = false;
  });
}

/** Installs the one SIGTERM/SIGINT/SIGHUP listener of the thread, unless one is installed. */
export function installSignalFlush(registry: FlushRegistry): void {
  registry.onSignal ??= (signal) => onSignal(registry, signal);
  registry.onRemoveListener ??= (name, listener) => onRemoveListener(registry, name, listener);
  if (!process.rawListeners("removeListener").includes(registry.onRemoveListener))
    process.on("removeListener", registry.onRemoveListener);
  for (const signal of SIGNALS) {
    if (!process.rawListeners(signal).includes(registry.onSignal))
      process.on(signal, registry.onSignal);
  }
}

/** Removes the listeners, so the signals' default action applies again. */
export function uninstallSignalFlush(registry: FlushRegistry): void {
  if (registry.onSignal !== undefined)
    for (const signal of SIGNALS) process.off(signal, registry.onSignal);
  if (registry.onRemoveListener !== undefined)
    process.off("removeListener", registry.onRemoveListener);
}
