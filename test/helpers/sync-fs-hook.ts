// For vi.mock("node:fs"): every *Sync function of `actual`, with `before(name, args)` run first
// (a hook that forces an interleaving, or fails a call). Imports nothing of node:fs itself, so a
// mock factory may load it.
export function hookedSyncFs(
  actual: Record<string, unknown>,
  before: (name: string, args: unknown[]) => void,
): Record<string, unknown> {
  const wrapped: Record<string, unknown> = { ...actual };
  for (const [name, value] of Object.entries(actual)) {
    if (!name.endsWith("Sync") || typeof value !== "function") continue;
    wrapped[name] = (...args: unknown[]) => {
      before(name, args);
      return (value as (...a: unknown[]) => unknown)(...args);
    };
  }
  return wrapped;
}
