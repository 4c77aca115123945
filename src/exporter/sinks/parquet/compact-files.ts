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
  readonly info: PartInfo;
}

/**
 * Merges `sources` (files of one partition and one writer) into files of `rowGroupSize` rows
 * (or 16 MiB of payload), one row group each as the export writes them, at the paths `output`
 * names; rows keep their order. Memory holds one source row group and one output group.
 * Returns the files written and the rows they hold.
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
  const full = () => queue.size >= options.rowGroupSize || queue.bytes >= MAX_GROUP_BYTES;
  for (const source of sources) {
    await readPartGroups(source.path, source.info, options.channel, async (columns) => {
      queue.push(columns);
      while (full())
        await write(queue.take(queue.groupRows(options.rowGroupSize, MAX_GROUP_BYTES)));
    });
  }
  while (queue.size > 0)
    await write(queue.take(queue.groupRows(options.rowGroupSize, MAX_GROUP_BYTES)));
  return { files, rows };
}
