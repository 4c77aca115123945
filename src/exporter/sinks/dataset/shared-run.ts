import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { TelemetryError } from "../../../errors/index.js";
import type { WriterOwner } from "../../model/writer-owner.js";
import type { WriterClaim } from "../../plan/writer-plan.js";
import { parsePartName } from "./part-names.js";
import { checkOneLayout } from "./partition-layout.js";
import { filesOf, linkFile, type SharedDataset } from "./shared-dataset.js";
import { writeSyncedFile } from "./write-synced-file.js";
import { assertStillOwner, ownerRecordPath, recordOwner } from "./writer-ownership.js";

/** Where a writer keeps its state inside a shared dataset (readers glob `*.parquet` only). */
export function writerStatePath(writer: string): string {
  return join(".writers", `${writer}.export-state.json`);
}

/**
 * One export run into a shared dataset, as the partitioned writer sees a directory: files are
 * staged beside the dataset, and the commit publishes a version holding every file of the
 * version current then, except this writer's own files that the run replaces, plus the staged
 * ones. Other writers' files are never removed.
 */
export class SharedRun {
  private constructor(
    private readonly dataset: SharedDataset,
    private readonly claim: WriterClaim,
    private readonly stage: string,
    private readonly carry: ((relative: string) => boolean) | undefined,
    private readonly baseState: string | undefined,
    private readonly takingFrom: WriterOwner | undefined,
  ) {}

  /**
   * `carry`: which of this writer's files the new version keeps (an incremental run keeps all
   * but its tails); undefined replaces them all. `baseState`: the writer's state the run
   * started from, which must still be the current one at commit (else another run of the same
   * writer committed meanwhile, and this one would add the same events again). `claim`: the
   * writer and its producer, which must still own the name at commit (see writer-ownership.ts).
   * `takingFrom`: the producer a takeover takes the name from, which must still own it then.
   */
  static async start(
    dataset: SharedDataset,
    claim: WriterClaim,
    carry: ((relative: string) => boolean) | undefined,
    baseState: string | undefined,
    takingFrom?: WriterOwner,
  ): Promise<SharedRun> {
    return new SharedRun(dataset, claim, await dataset.stage(), carry, baseState, takingFrom);
  }

  private get writer(): string {
    return this.claim.writer;
  }

  /** This writer's files of the previous version that the new one keeps. */
  carried = 0;

  writeFile(relative: string, bytes: Uint8Array): Promise<void> {
    return writeSyncedFile(join(this.stage, relative), bytes);
  }

  async commit(): Promise<void> {
    const state = writerStatePath(this.writer);
    const record = ownerRecordPath(this.writer);
    const staged = await filesOf(this.stage);
    try {
      await this.dataset.publish(async (current, next) => {
        if (current !== undefined) {
          await assertStillOwner(this.dataset, current, this.claim, this.takingFrom);
          const now = await readFile(join(current, state), "utf8").catch(() => undefined);
          if (now !== this.baseState) {
            throw new TelemetryError(
              "output_conflict",
              `another run of writer ${this.writer} committed to ${this.dataset.target} while this one ran; nothing was committed`,
              { path: ["writer"] },
            );
          }
          const kept = (await filesOf(current)).filter(
            (file) =>
              file !== state &&
              file !== record &&
              (!this.owns(file) || (this.carry?.(file) ?? false)),
          );
          checkOneLayout(this.dataset.target, kept, staged);
          for (const file of kept) {
            await linkFile(join(current, file), join(next, file));
            if (this.owns(file)) this.carried++;
          }
        }
        for (const file of staged) await linkFile(join(this.stage, file), join(next, file));
        await recordOwner(next, this.claim);
      });
    } finally {
      await this.abort();
    }
  }

  abort(): Promise<void> {
    return this.dataset.abandon(this.stage);
  }

  private owns(file: string): boolean {
    return dirname(file) !== ".writers" && parsePartName(basename(file))?.writer === this.writer;
  }
}
