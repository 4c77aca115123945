import { numberedPath, numberedPlace } from "./rotated-names.js";

// logrotate without dateext names a rotated file by its age: `.1` is the newest, and each
// rotation renames `.N` to `.N+1`. Such a name is a position, not an identity. A file deleted by
// retention and kept as archived would, had it stayed, have moved on with the others, while a
// newer file takes the name it had: kept under that name, it would share it with a present file
// and sort after it, its older events listed as the newer ones. So an archived file's name moves
// on by the rotations since the run that last saw it, as a full run over the undeleted files
// would name it.

/** A file the state knew, from the path it had then to the path it has now. */
export type Followed = readonly [from: string, to: string];

/**
 * Per live file path: how many numbered rotations happened since the state was saved. A file the
 * state knew, found again, says exactly (`.1` now `.3`: two). Without one, a file new since then
 * and already `.N` was live after that run and rotated N times since: at least N.
 */
export function numberedShifts(
  followed: readonly Followed[],
  fresh: readonly string[],
): Map<string, number> {
  const exact = new Map<string, number>();
  for (const [from, to] of followed) {
    const then = numberedPlace(from);
    const now = numberedPlace(to);
    if (then === undefined || now === undefined || then.group !== now.group) continue;
    exact.set(then.group, Math.max(exact.get(then.group) ?? 0, now.n - then.n));
  }
  const shifts = new Map(exact);
  for (const path of fresh) {
    const place = numberedPlace(path);
    if (place === undefined || exact.has(place.group)) continue;
    shifts.set(place.group, Math.max(shifts.get(place.group) ?? 0, place.n));
  }
  return shifts;
}

/** The numbered name the file at `path` would have now (other names are kept). */
export function shiftPath(path: string, shifts: ReadonlyMap<string, number>): string {
  const place = numberedPlace(path);
  const by = place === undefined ? 0 : (shifts.get(place.group) ?? 0);
  if (place === undefined || by <= 0) return path;
  return numberedPath({ ...place, n: place.n + by });
}

/** Archived marks under the numbered names they would have now (other names are kept). */
export function shiftArchived<Mark extends { readonly path: string }>(
  marks: readonly Mark[],
  shifts: ReadonlyMap<string, number>,
): Mark[] {
  return marks.map((mark) => {
    const path = shiftPath(mark.path, shifts);
    return path === mark.path ? mark : { ...mark, path };
  });
}
