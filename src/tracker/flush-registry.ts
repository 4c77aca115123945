/** Something holding buffered events that must reach the disk before the process ends. */
export interface Flushable {
  flushSync(): void;
  /**
   * Writes every buffered event now, holding back the failures it meets: the function returned
   * tells them. Optional: a copy of an older version has only flushSync().
   */
  flushHeld?(): () => void;
  /** The exit flush has run: from now on, events must be written as they are recorded. */
  writeThrough(): void;
}

/**
 * Flushes every item, then tells the failures met (an item's onError may end the process, as a
 * fail-fast `process.exit(1)` does: every other item is written first), then flushes again what
 * those handlers recorded. `each`: called after each item's first flush.
 */
export function flushEvery(items: Iterable<Flushable>, each?: (item: Flushable) => void): void {
  const tells: (() => void)[] = [];
  const all = [...items];
  for (const item of all) {
    if (item.flushHeld === undefined) item.flushSync();
    else tells.push(item.flushHeld());
    each?.(item);
  }
  for (const tell of tells) tell();
  for (const item of all) item.flushSync();
}

/**
 * Exit and signal state of one thread, shared by every copy of this package loaded in it (an
 * application and one of its dependencies may each install their own). Sharing it is what lets
 * one signal listener flush every copy's trackers and still tell them apart from the
 * application's listeners. Its shape is a contract between copies, possibly of different
 * versions: add optional members only; anything else needs a new key.
 */
export interface FlushRegistry {
  /** Every open tracker of every copy. */
  readonly live: Set<Flushable>;
  /** The open trackers that asked for signal handling. */
  readonly withSignals: Set<Flushable>;
  exitFlushed: boolean;
  /** Listeners of the process, created by the first copy that needed them so any copy finds them. */
  onExit?: () => void;
  onSignal?: (signal: NodeJS.Signals) => void;
  onRemoveListener?: (name: string | symbol, listener: unknown) => void;
  /** Per signal, how many other listeners were removed during the current turn of the loop. */
  readonly removedThisTurn: Map<string | symbol, number>;
  clearScheduled: boolean;
}

const KEY = Symbol.for("telemetry-pipeline.flush-registry.v1");

/** This thread's registry, created by the first copy that asks. */
export function flushRegistry(): FlushRegistry {
  const holder = globalThis as { [KEY]?: FlushRegistry };
  const found = holder[KEY];
  if (found !== undefined) return found;
  const created: FlushRegistry = {
    live: new Set(),
    withSignals: new Set(),
    exitFlushed: false,
    removedThisTurn: new Map(),
    clearScheduled: false,
  };
  // Not enumerable, and fixed: code walking or resetting globals must not split the copies.
  Object.defineProperty(holder, KEY, { value: created, enumerable: false, writable: false });
  return created;
}
