import { closeSync, existsSync, openSync, renameSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { segmentName } from "./segment-names.js";

/**
 * Renames the live file `live` to the first free segment name of `stamp` (serial 0, then 1, …)
 * and returns that serial. rename(2) replaces whatever holds its target, and a name found free a
 * moment ago may be taken by then (a rotation of a holder wrongly taken for dead, a file put
 * there by hand): a segment of acknowledged events would be lost. So the name is first claimed
 * with O_EXCL, which no two creators win and which needs no hard links, and the rename replaces
 * only that empty claim, this rotation's own. A process killed between the two leaves an empty
 * segment, which readers read as no events and retention removes as any segment.
 */
export function renameToFreeSegment(
  directory: string,
  channel: string,
  live: string,
  stamp: number,
  fileMode: number,
): number {
  for (let serial = 0; ; serial++) {
    const segment = join(directory, segmentName(channel, stamp, serial));
    // Compressed and unlinked: the name is free but its .gz holds the segment.
    if (existsSync(`${segment}.gz`)) continue;
    let fd: number;
    try {
      fd = openSync(segment, "wx", fileMode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    closeSync(fd);
    // Its .gz put in place and the plain file unlinked between the look above and the claim (a
    // compression): the name stays the .gz's, or readers would take the claim's file for it.
    if (existsSync(`${segment}.gz`)) {
      unlinkSync(segment);
      continue;
    }
    try {
      renameSync(live, segment);
    } catch (error) {
      // The live file is where it was: the claim goes, or it would be an empty segment per retry.
      try {
        unlinkSync(segment);
      } catch {
        // Already gone.
      }
      throw error;
    }
    return serial;
  }
}
