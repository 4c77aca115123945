// A name's counts by day as runs: consecutive days from a first one, an array of counts.

/** Counts of consecutive days from `start` (days since 1970-01-01). */
export interface DayRun {
  readonly start: number;
  readonly counts: readonly number[];
}

/**
 * `runs` with `extra` counts added: both in day order (`extra` as `[day, count]`, each day once),
 * `runs` apart and without zeros, and so is the result. A run no extra day falls in is kept as
 * it is (the same object: runs are never changed); others are copied.
 */
export function mergeRuns(runs: readonly DayRun[], extra: readonly [number, number][]): DayRun[] {
  const out: DayRun[] = [];
  // Whether the last run of `out` is a copy made here, which may grow.
  let owned = false;
  const put = (day: number, n: number) => {
    const last = out[out.length - 1];
    const next = last === undefined ? Number.NaN : last.start + last.counts.length;
    if (last === undefined || day < next - 1 || day > next) {
      out.push({ start: day, counts: [n] });
      owned = true;
      return;
    }
    const mine = owned ? (last.counts as number[]) : [...last.counts];
    if (!owned) out[out.length - 1] = { start: last.start, counts: mine };
    owned = true;
    if (day === next) mine.push(n);
    else mine[mine.length - 1] = (mine[mine.length - 1] as number) + n;
  };
  let j = 0;
  const extraDay = () => (j < extra.length ? (extra[j] as [number, number])[0] : Infinity);
  for (const run of runs) {
    while (extraDay() < run.start) put(...(extra[j++] as [number, number]));
    const last = out[out.length - 1];
    const joinsLast = last !== undefined && last.start + last.counts.length === run.start;
    const end = run.start + run.counts.length;
    if (!joinsLast && extraDay() >= end) {
      out.push(run);
      owned = false;
      continue;
    }
    for (let k = 0; k < run.counts.length; k++) {
      while (extraDay() < run.start + k) put(...(extra[j++] as [number, number]));
      put(run.start + k, run.counts[k] as number);
    }
  }
  while (j < extra.length) put(...(extra[j++] as [number, number]));
  return out;
}
