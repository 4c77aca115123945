import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { WriterOwner } from "../../model/writer-owner.js";
import type { WriterClaim } from "../../plan/writer-plan.js";
import { AtomicDirectory, SUCCESS_MARKER } from "../atomic-directory.js";
import { parsePartName } from "./part-names.js";
import { checkLayout } from "./partition-layout.js";
import { filesOf, SharedDataset } from "./shared-dataset.js";
import { SharedRun, writerStatePath } from "./shared-run.js";
import { claimWriter } from "./writer-ownership.js";

/** A directory a partitioned export writes its files into, made visible at once on commit. */
export interface PartDirectory {
  /** Files of the previous run carried over (known once committed, for a shared dataset). */
  readonly carried: number;
  writeFile(relative: string, bytes: Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Where a partitioned export goes: a directory of its own, or a share of a shared dataset. */
export interface ExportTarget {
  /** The state the previous run left, or undefined when there is none to continue. */
  readonly previousState: string | undefined;
  /** Where the run's state goes inside its directory. */
  readonly stateFile: string;
  /** With a writer that took its name over from another producer: that producer. */
  readonly tookOverFrom?: WriterOwner;
  /** Where a file the previous run's state names (relative to its directory) is now. */
  resolve(relative: string): string;
  /**
   * Starts the run's directory. `carry`: which files of the previous run stay (of this writer's
   * own, in a shared dataset); undefined starts over, replacing them all.
   */
  open(carry: ((relative: string) => boolean) | undefined): Promise<PartDirectory>;
}

/**
 * Without a writer, `output` is the export's own directory, replaced as a whole by each run.
 * With one, it is a dataset shared with other writers: see {@link SharedRun}.
 */
export async function openExportTarget(
  output: string,
  claim: WriterClaim | undefined,
  ownStateFile: string,
  layout: string,
): Promise<ExportTarget> {
  if (claim === undefined) {
    return {
      previousState: existsSync(join(output, SUCCESS_MARKER))
        ? join(output, ownStateFile)
        : undefined,
      stateFile: ownStateFile,
      resolve: (relative) => join(output, relative),
      open: (carry) =>
        carry === undefined
          ? AtomicDirectory.create(output)
          : AtomicDirectory.createFrom(output, carry),
    };
  }
  const dataset = await SharedDataset.open(output, true);
  // Before the name is claimed or anything read: another writer's layout is refused now, and
  // again at commit (a writer may publish meanwhile). Listed through the link; a version
  // removed by another publish mid-listing leaves the check to the commit.
  if (dataset.opened !== undefined) {
    const files = await filesOf(dataset.target).catch(() => []);
    const others = files.filter((file) => parsePartName(basename(file))?.writer !== claim.writer);
    checkLayout(output, others, layout);
  }
  // Before anything is written: a name another producer owns is refused.
  const tookOverFrom = await claimWriter(dataset, claim);
  // Read through the dataset's link, not in the version it named when opened: every publish
  // (another writer's too) removes the versions before its own, so that one may be gone by the
  // time this run reads its state. The run then started over, and failed at its commit, taking
  // the state it found there for another run's of its writer. This writer's own files are the
  // same in every version it has not changed; if it changed them meanwhile (another run under
  // its name), this run does not commit.
  const published = dataset.opened !== undefined;
  const stateFile = writerStatePath(claim.writer);
  const previousState = published ? join(dataset.target, stateFile) : undefined;
  const baseState =
    previousState === undefined
      ? undefined
      : await readFile(previousState, "utf8").catch(() => undefined);
  return {
    previousState,
    stateFile,
    resolve: (relative) => join(published ? dataset.target : output, relative),
    open: (carry) => SharedRun.start(dataset, claim, carry, baseState, tookOverFrom),
    ...(tookOverFrom === undefined ? {} : { tookOverFrom }),
  };
}
