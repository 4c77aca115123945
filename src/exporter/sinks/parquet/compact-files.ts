import type { EventColumns } from "../../engine/event-columns.js";
import { columnBuffers } from "../../engine/event-columns.js";
import { writeSyncedFile } from "../dataset/write-synced-file.js";
import { ColumnQueue } from "./column-queue.js";
import { MAX_GROUP_BYTES } from "./encoder-data.js";
import type { EncoderThread } from "./encoder-thread.js";
import { type PartInfo, readPartGroups } from "./part-reader.js";

/** One part file to merge, with its footer. */
export interface CompactSource {
  readonly path: string;
  /** The name errors give it: where it is in the dataset (it is read through a link). */
  readonly shownAs: string;
  readonly info: PartInfo;
}

/**
 * Merges `sources` (files of one partition and one writer) into files of `rowGroupSize` rows
 * (or 16 MiB of payload), one row group each as the export writes them, at the paths `output`
 * names; rows keep their order. A group is encoded and written while the next is read (waiting
 * for it took half of compact's time: each thread sat idle while the other worked), so memory
 * holds one source row group and two output groups. Returns the files written and the rows they
 * hold.
 */
export async function compactFiles(
  sources: readonly CompactSource[],
  options: {
    readonly encoder: EncoderThread;
    readonly rowGroupSize: number;
    readonly channel: string;
    readonly output: (n: number) => string;
  },
): Promise<{ files: string[]; rows: number }> {
  const queue = new ColumnQueue();
  const files: string[] = [];
  let rows = 0;
  const omit = sources.some((s) => !s.info.hasChannel) ? ["channel"] : [];
  const write = async (columns: EventColumns) => {
    const bytes = await options.encoder.request(
      { kind: "file", columns, omit },
      columnBuffers(columns),
    );
    const path = options.output(files.length);
    await writeSyncedFile(path, bytes);
    files.push(path);
    rows += columns.rows;
  };
  // The group being encoded and written, if any: one at a time, so files keep their order.
  let writing: Promise<void> | undefined;
  const next = async () => {
    const columns = queue.take(queue.groupRows(options.rowGroupSize, MAX_GROUP_BYTES));
    await writing;
    writing = write(columns);
    // Awaited before the next group and at the end; until then its failure is not unhandled.
    writing.catch(() => {});
  };
  const full = () => queue.size >= options.rowGroupSize || queue.bytes >= MAX_GROUP_BYTES;
  try {
    for (const source of sources) {
      const onGroup = async (columns: EventColumns) => {
        queue.push(columns);
        while (full()) await next();
      };
      await readPartGroups(source.path, source.info, options.channel, onGroup, source.shownAs);
    }
    while (queue.size > 0) await next();
  } catch (error) {
    // A failed read still waits for the write in flight, so no file is written after the
    // caller has moved on (it removes the staged files); that write began first, so its own
    // failure (a full disk) is the one reported, as when the two never overlapped.
    await writing;
    throw error;
  }
  await writing;
  return { files, rows };
}
