// What an incremental run tells its caller (re-exported by contracts.ts): plain data, so that
// every layer that reports on a run can name it.

/** What an incremental run did. */
export interface IncrementalOutcome {
  /** `incremental` when the state was continued; `full` when every file was read from the start. */
  readonly mode: "full" | "incremental";
  /** Why a full run was done. */
  readonly reason?: string;
  /** Bytes read in this run, and the inputs' total size. */
  readonly bytesRead: number;
  readonly bytesTotal: number;
  /** Events of complete lines this run added to the outputs; 0 when nothing new was read. */
  readonly eventsAdded: number;
  /**
   * The ETL only: set when it left its events file as it was (nothing to add, and no event of an
   * unfinished last line to drop from it); absent when it wrote the file.
   */
  readonly eventsFileKept?: true;
  /**
   * Events of last lines that have no newline yet (complete JSON in a file not being written):
   * they are in the outputs (the ETL's events file, a partitioned export's tail part files), but
   * not committed, so every run writes them again until their line ends; absent when none.
   */
  readonly eventsReadAgain?: number;
  /**
   * Files an earlier run read to their end and that were deleted since (retention): an
   * incremental run keeps their events and counts; a full run has lost them, and lists them here.
   */
  readonly archived?: readonly string[];
  /**
   * Older archived files, folded one entry per channel (the newest 1,000 archived files are
   * listed in `archived`; the others are counted here, with the oldest and newest of each
   * channel). Kept by an incremental run, lost by a full one, as `archived`.
   */
  readonly folded?: readonly FoldedArchive[];
  /**
   * A full run only: set when a state was there but could not be read (unreadable, corrupt, of an
   * unknown format), so the files it kept as archived, if any, cannot be named; their events are
   * no longer in the outputs.
   */
  readonly stateUnread?: true;
  /**
   * Files deleted before their last line was complete (a writer's crash tore it, then retention
   * removed the file): archived with the lines read, the `bytes` after them never read.
   */
  readonly unfinished?: readonly UnfinishedFile[];
  /**
   * Files a run read at a path that now holds another file, themselves deleted: rotated and
   * removed by retention before this run, so what was written to them after `bytes` (the
   * bytes read), and any segment rotated and deleted with them, was never read.
   */
  readonly overtaken?: readonly UnfinishedFile[];
}

/** Archived files of one channel folded into one entry: how many, the oldest and the newest. */
export interface FoldedArchive {
  readonly first: string;
  readonly last: string;
  readonly files: number;
}

/** A file deleted while its last line was unfinished, and how many bytes of it were never read. */
export interface UnfinishedFile {
  readonly path: string;
  readonly bytes: number;
}
