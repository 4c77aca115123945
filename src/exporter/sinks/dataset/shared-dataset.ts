import { randomUUID } from "node:crypto";
import {
  link,
  lstat,
  mkdir,
  open,
  readdir,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
} from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { TelemetryError } from "../../../errors/index.js";
import { processAlive } from "../leftover-temps.js";
import { trackTemp } from "../output-sink.js";
import { withDatasetLock } from "./dataset-lock.js";
import { assertStoreUnclaimed, renamedFrom } from "./renamed-link.js";

/** How long a publisher waits for another to finish publishing. */
const LOCK_WAIT_MS = 60_000;

function ioError(what: string, cause: unknown): TelemetryError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new TelemetryError("io_error", `${what} (${code})`, { cause });
}

/** Where the shared dataset at `target` keeps its versions: `.<name>.dataset/` beside it. */
export function datasetStore(target: string): string {
  return join(dirname(target), `.${basename(target)}.dataset`);
}

/**
 * A dataset that several writers (and compaction) change. Readers such as DuckDB glob
 * `<dataset>/**\/*.parquet` and read every file they list, hidden ones included, and do not
 * follow symbolic links to directories inside the glob; so the dataset path itself is a
 * symbolic link to an immutable version directory kept beside it, in `.<name>.dataset/`.
 * Every change builds a new version (hard links of the files it keeps, plus its own) and
 * publishes it with one rename(2) of the link: a reader lists one version or the other, and a
 * run interrupted at any point leaves the previous version whole.
 */
export class SharedDataset {
  /** Versions, staging directories and the lock live here, out of readers' sight. */
  readonly store: string;

  /** The version current when the dataset was opened (undefined: nothing published yet). */
  opened: string | undefined;

  private constructor(readonly target: string) {
    this.store = datasetStore(target);
  }

  /**
   * The dataset at `target`. It may not exist yet (or be an empty directory) when `create`;
   * anything but a shared dataset or nothing is refused.
   */
  static async open(target: string, create: boolean, option = "output"): Promise<SharedDataset> {
    const dataset = new SharedDataset(resolve(target));
    const stat = await lstat(target).catch(() => undefined);
    const empty = stat?.isDirectory() === true && (await readdir(target)).length === 0;
    if (stat === undefined || empty) {
      if (create) return dataset;
      throw new TelemetryError(
        "input_error",
        `${target} is not a shared dataset: it is ${stat === undefined ? "missing" : "empty"}`,
        { path: [option] },
      );
    }
    dataset.opened = stat.isSymbolicLink() ? await dataset.current() : undefined;
    const from = dataset.opened === undefined ? await renamedFrom(target) : undefined;
    if (from !== undefined) {
      throw new TelemetryError(
        "output_conflict",
        `${target} is the shared dataset ${from} renamed (its versions are in ${datasetStore(from)}); refusing to change it. Rename it back to ${from} to change it`,
        { path: [option] },
      );
    }
    if (dataset.opened === undefined) {
      throw new TelemetryError(
        "output_conflict",
        `${target} is not a shared dataset (one written with a writer name); refusing to change it`,
        { path: [option] },
      );
    }
    return dataset;
  }

  /** The version readers see now, or undefined when nothing was published yet. */
  async current(): Promise<string | undefined> {
    const link = await readlink(this.target).catch(() => undefined);
    if (link === undefined) return undefined;
    const version = resolve(dirname(this.target), link);
    return version.startsWith(`${join(this.store, "versions")}${sep}`) ? version : undefined;
  }

  /**
   * A fresh staging directory for one run's new files (removed on interrupt or abort; one left
   * by a killed process is removed by the next publish on its host).
   */
  async stage(): Promise<string> {
    const dir = join(this.store, "stage", `${randomUUID()}.${process.pid}.${hostname()}`);
    trackTemp(dir, true);
    try {
      await mkdir(dir, { recursive: true, mode: 0o755 });
    } catch (cause) {
      trackTemp(dir, false);
      throw ioError(`cannot write beside ${this.target}`, cause);
    }
    return dir;
  }

  // Staging directories of processes of this host that are gone (killed before their commit).
  private async removeDeadStages(): Promise<void> {
    const stages = await readdir(join(this.store, "stage")).catch(() => [] as string[]);
    for (const name of stages) {
      const [, pid, host] = /^[0-9a-f-]{36}\.(\d+)\.(.+)$/.exec(name) ?? [];
      if (host === hostname() && !processAlive(Number(pid))) {
        await rm(join(this.store, "stage", name), { recursive: true, force: true });
      }
    }
  }

  /** Removes a staging directory (its files are linked into a version, or not wanted). */
  async abandon(stage: string): Promise<void> {
    await rm(stage, { recursive: true, force: true });
    trackTemp(stage, false);
  }

  /**
   * Hard-links the files of the version readers see now that `want` keeps into `into` (a
   * staging directory). Each publish removes the versions before its own, so a run that reads
   * files for long (a compaction) reads these links, which no publish removes. A publish that
   * removes the version while it is linked: it starts over from the one published (a name
   * is one file in every version). Returns the files linked, relative to the version.
   */
  async snapshot(into: string, want: (file: string) => boolean): Promise<string[]> {
    let tried: string | undefined;
    for (;;) {
      const current = await this.current();
      if (current === undefined) return [];
      try {
        const files = (await filesOf(current)).filter(want);
        for (const file of files) await linkFile(join(current, file), join(into, file));
        return files;
      } catch (cause) {
        // Gone twice from the same version: not a publish meanwhile, but a damaged dataset.
        const code = (cause as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" || tried === current)
          throw ioError(`cannot read ${this.target}`, cause);
        tried = current;
        await rm(into, { recursive: true, force: true });
      }
    }
  }

  /**
   * Publishes a new version, holding the dataset's lock: `build` fills the new version's
   * directory from the current one (undefined for the first), then one rename makes it the one
   * readers see, and the versions before it are removed. A `build` that returns false finds
   * nothing to change: nothing is published. Returns the version readers see then.
   */
  async publish(
    build: (current: string | undefined, next: string) => Promise<unknown>,
  ): Promise<string | undefined> {
    await mkdir(join(this.store, "versions"), { recursive: true, mode: 0o755 });
    return withDatasetLock(join(this.store, "lock"), LOCK_WAIT_MS, async () => {
      const current = await this.current();
      if (current === undefined) await assertStoreUnclaimed(this.target, this.store);
      const id = randomUUID();
      const next = join(this.store, "versions", id);
      const link = join(dirname(this.target), `.${basename(this.target)}.${id}.link`);
      trackTemp(next, true);
      trackTemp(link, true);
      try {
        await mkdir(next, { mode: 0o755 });
        if ((await build(current, next)) === false) {
          await rm(next, { recursive: true, force: true });
          trackTemp(next, false);
          trackTemp(link, false);
          return current;
        }
        await symlink(relative(dirname(this.target), next), link);
        if (current === undefined) await rmdir(this.target).catch(() => undefined);
        await rename(link, this.target);
      } catch (cause) {
        await rm(link, { force: true });
        await rm(next, { recursive: true, force: true });
        trackTemp(next, false);
        trackTemp(link, false);
        if (cause instanceof TelemetryError) throw cause;
        throw ioError(`cannot publish ${this.target}`, cause);
      }
      trackTemp(next, false);
      trackTemp(link, false);
      await syncDirectory(dirname(this.target));
      // Earlier versions, and any left by a publisher that died before its rename.
      for (const old of await readdir(join(this.store, "versions"))) {
        if (old !== id)
          await rm(join(this.store, "versions", old), { recursive: true, force: true });
      }
      await this.removeDeadStages();
      return next;
    });
  }
}

/** Every file of `dir`, as paths relative to it. */
export async function filesOf(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

/** Hard-links `from` to `to`, making `to`'s directory. */
export async function linkFile(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true, mode: 0o755 });
  await link(from, to);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
