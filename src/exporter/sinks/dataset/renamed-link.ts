import { lstat, readdir, readlink } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { TelemetryError } from "../../../errors/index.js";

// A dataset's store is named after its link (`.events.dataset` beside `events`), and its link is
// relative, so `mv events events-2025` leaves a dataset readers still open under the new name.
// A first publish at the old path would take that store for a new dataset's and remove every
// version in it, the renamed dataset's included: all its writers' rows, exit 0.

// The link a publish makes before renaming it over the dataset (shared-dataset.ts).
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** A link beside `target`, other than a publisher's own, that reads a version of `store`. */
async function renamedLink(target: string, store: string): Promise<string | undefined> {
  const dir = dirname(target);
  const versions = `${join(store, "versions")}${sep}`;
  const escaped = basename(target).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const publishing = new RegExp(`^\\.${escaped}\\.${UUID}\\.link$`);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    if (path === target || publishing.test(name)) continue;
    const to = await readlink(path).catch(() => undefined);
    if (to !== undefined && resolve(dir, to).startsWith(versions)) return path;
  }
  return undefined;
}

/**
 * Refuses a first publish at `target` when its store's versions are another link's: the
 * dataset, renamed. For a caller holding the dataset's lock, about to publish with no current
 * version.
 */
export async function assertStoreUnclaimed(target: string, store: string): Promise<void> {
  const other = await renamedLink(target, store);
  if (other === undefined) return;
  throw new TelemetryError(
    "output_conflict",
    `${target} is missing, but the shared dataset ${other} keeps its versions in ${store} (its link was renamed); nothing was written. Rename it back to ${target} to export into it, or export into another path`,
    { path: ["output"] },
  );
}

/**
 * The path a dataset at `target` was renamed from, when `target` links to a version of another
 * path's store (`.<old name>.dataset/versions/<id>`), else undefined.
 */
export async function renamedFrom(target: string): Promise<string | undefined> {
  const link = await readlink(target).catch(() => undefined);
  if (link === undefined) return undefined;
  const version = resolve(dirname(target), link);
  // A link moved to another directory reads nothing: not a dataset anyone can rename back.
  if ((await lstat(version).catch(() => undefined))?.isDirectory() !== true) return undefined;
  const versions = dirname(version);
  const store = dirname(versions);
  const name = /^\.(.+)\.dataset$/.exec(basename(store))?.[1];
  if (basename(versions) !== "versions" || name === undefined) return undefined;
  const old = join(dirname(store), name);
  return old === resolve(target) ? undefined : old;
}
