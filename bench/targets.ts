// Whether a row meets its target, read from the target as the table prints it: each clause,
// comma-separated, is "<= Nx" (the ratio to the row's reference) or "RSS < N MB" (peak RSS).
// A target with any other clause is not judged here: its row sets `met` itself.

/** True or false when every clause of `target` can be judged, otherwise undefined. */
export function meetsTarget(
  target: string,
  ratio: number | undefined,
  rssMiB: number | null,
): boolean | undefined {
  let met = true;
  for (const clause of target.split(",").map((c) => c.trim())) {
    const most = /^<= ([\d.]+)x$/.exec(clause);
    const rss = /^RSS < (\d+) MB$/.exec(clause);
    if (most !== null && ratio !== undefined) met &&= ratio <= Number(most[1]);
    else if (rss !== null && rssMiB !== null) met &&= (rssMiB * 2 ** 20) / 1e6 < Number(rss[1]);
    else return undefined;
  }
  return met;
}
