import { randomBytes } from "node:crypto";
import { copyFile, link, lstat, mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import { datasetStore } from "./dataset/shared-dataset.js";
import { writeSyncedFile } from "./dataset/write-synced-file.js";
import { checkReplaceable, manifestText } from "./export-manifest.js";
import { tempPathFor, trackTemp } from "./output-sink.js";

/** The marker a completed partitioned export holds; Spark writes the same, and readers skip it. */
export const SUCCESS_MARKER = "_SUCCESS";

function ioError(what: string, cause: unknown): TelemetryError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new TelemetryError("io_error", `${what} (${code})`, { cause });
}

/**
 * A directory written as a whole: files go into a temp directory beside the target, which
 * replaces the target on commit (two renames: the old one aside, the new one in), so readers
 * see the previous export or the new one. An existing target is replaced only when it is empty
 * or holds nothing but a previous export of ours (our `_SUCCESS` lists every file it wrote);
 * anything else is refused.
 */
export class AtomicDirectory {
  /** Files {@link createFrom} carried over from the existing target. */
  carried = 0;
  // Every file the directory will hold (written or carried over), for the `_SUCCESS` manifest.
  private readonly files = new Set<string>();

  private constructor(
    private readonly target: string,
    private readonly temp: string,
  ) {}

  /**
   * Like {@link create}, but the temp directory starts with hard links to the files of the
   * existing target for which `keep` returns true (copies where links are refused), so an
   * incremental export adds files without copying the ones it keeps.
   */
  static async createFrom(
    target: string,
    keep: (relative: string) => boolean,
  ): Promise<AtomicDirectory> {
    const directory = await AtomicDirectory.create(target);
    try {
      for (const relative of await readdir(target, { recursive: true })) {
        const from = join(target, relative);
        if (!keep(relative) || !(await lstat(from)).isFile()) continue;
        const to = join(directory.temp, relative);
        await mkdir(dirname(to), { recursive: true, mode: 0o755 });
        await link(from, to).catch(() => copyFile(from, to));
        directory.carried++;
        directory.files.add(relative.split(sep).join("/"));
      }
    } catch (cause) {
      await directory.abort();
      throw ioError(`cannot carry ${target} over`, cause);
    }
    return directory;
  }

  static async create(target: string): Promise<AtomicDirectory> {
    const stat = await lstat(target).catch(() => undefined);
    if (stat !== undefined) {
      if (stat.isSymbolicLink()) {
        // A shared dataset's path is such a link: say so rather than speak of links.
        if (await isSharedDataset(target)) {
          throw new TelemetryError(
            "output_conflict",
            `output ${target} is a shared dataset (one written with a \`writer\` name); a run without one would replace every writer's files: give this host's \`writer\` name, or another path`,
            { path: ["output"] },
          );
        }
        // Renaming over a link would replace the link, not the folder it names.
        throw new TelemetryError(
          "output_conflict",
          `output ${target} is a symbolic link; a partitioned export replaces its output folder as a whole, never through a link: give a folder's own path (a shared dataset is written with a \`writer\`)`,
          { path: ["output"] },
        );
      }
      if (!stat.isDirectory()) {
        throw new TelemetryError(
          "output_conflict",
          `output ${target} exists and is not a directory`,
        );
      }
      await checkReplaceable(target, SUCCESS_MARKER);
    }
    const temp = tempPathFor(target);
    trackTemp(temp, true);
    try {
      await mkdir(temp, { recursive: true, mode: 0o755 });
    } catch (cause) {
      trackTemp(temp, false);
      throw ioError(`cannot write beside ${target}`, cause);
    }
    return new AtomicDirectory(target, temp);
  }

  /** Writes (and fsyncs) one file at `relative` inside the directory. */
  async writeFile(relative: string, bytes: Uint8Array): Promise<void> {
    if (relative !== SUCCESS_MARKER) this.files.add(relative.split(sep).join("/"));
    await writeSyncedFile(join(this.temp, relative), bytes, join(this.target, relative));
  }

  /** Marks the export complete and puts it in place of the target. */
  async commit(): Promise<void> {
    await this.writeFile(SUCCESS_MARKER, Buffer.from(manifestText(this.files)));
    const aside = join(
      dirname(this.target),
      `.${basename(this.target)}.old.${randomBytes(4).toString("hex")}`,
    );
    const previous = await lstat(this.target).catch(() => undefined);
    // Checked again: files added while the run read its inputs are not deleted either.
    if (previous !== undefined) {
      await checkReplaceable(this.target, SUCCESS_MARKER).catch(async (error) => {
        await this.abort();
        throw error;
      });
    }
    try {
      if (previous !== undefined) await rename(this.target, aside);
      try {
        await rename(this.temp, this.target);
      } catch (cause) {
        if (previous !== undefined) await rename(aside, this.target).catch(() => undefined);
        throw cause;
      }
    } catch (cause) {
      await this.abort();
      throw ioError(`cannot replace ${this.target}`, cause);
    }
    trackTemp(this.temp, false);
    if (previous !== undefined) await rm(aside, { recursive: true, force: true });
  }

  /** Discards everything written; the previous export stays as it was. */
  async abort(): Promise<void> {
    await rm(this.temp, { recursive: true, force: true });
    trackTemp(this.temp, false);
  }
}

/** Whether `target`, a symbolic link, is a shared dataset: its store sits beside it. */
async function isSharedDataset(target: string): Promise<boolean> {
  return (await lstat(datasetStore(target)).catch(() => undefined))?.isDirectory() === true;
}
