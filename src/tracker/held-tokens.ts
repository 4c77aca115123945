/**
 * The tokens of the locks this thread holds right now, shared by every copy of the package
 * loaded in it (an application's and a dependency's trackers may write one directory). A lock
 * naming this very thread whose token is not here was left by a release that failed (the file
 * system read-only, an I/O error, at that moment): nobody holds it, yet to every other thread
 * its holder "still runs", so only this thread can tell it is stale. The shape is a contract
 * between copies: a set of token strings under this key; anything else needs a new key.
 */
const KEY = Symbol.for("telemetry-pipeline.held-lock-tokens.v1");

export function heldTokens(): Set<string> {
  const holder = globalThis as { [KEY]?: Set<string> };
  const found = holder[KEY];
  if (found !== undefined) return found;
  const created = new Set<string>();
  // Not enumerable, and fixed: code walking or resetting globals must not split the copies.
  Object.defineProperty(holder, KEY, { value: created, enumerable: false, writable: false });
  return created;
}
