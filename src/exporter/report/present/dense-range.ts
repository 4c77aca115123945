/** A day (its day number) and the events counted on it. */
export interface DayCount {
  readonly day: number;
  readonly total: number;
}

/** The days a chart draws, and the few far-off days it names instead of drawing. */
export interface DenseRange {
  readonly first: number;
  readonly last: number;
  /** Days left out of the chart, in day order. */
  readonly outliers: readonly DayCount[];
}

/** At most this share of the events may be left out of a chart as outliers. */
export const OUTLIER_SHARE = 0.01;

/**
 * The range a chart of at most `maxBins` bins draws: every day, unless a few events lie far from
 * the rest (a stray "now" among last year's data), which would stretch the bins over the empty
 * gap and flatten the data into a few bars. While the range is wider than `maxBins` days, the
 * largest gap between two days with events splits the days in two; the side with fewer events
 * is dropped when the gap is wider than the other side's range (the outliers are farther from
 * the data than the data is wide) and all dropped days hold at most {@link OUTLIER_SHARE} of the
 * events. Real long ranges have no such gap and are binned as before. `days` must be sorted by
 * day, with distinct days.
 */
export function denseRange(days: readonly DayCount[], maxBins: number): DenseRange {
  const at = (i: number) => days[i] as DayCount;
  const sum = (from: number, to: number) => {
    let n = 0;
    for (let i = from; i <= to; i++) n += at(i).total;
    return n;
  };
  const budget = sum(0, days.length - 1) * OUTLIER_SHARE;
  let lo = 0;
  let hi = days.length - 1;
  let dropped = 0;
  while (hi > lo && at(hi).day - at(lo).day + 1 > maxBins) {
    let split = lo;
    for (let i = lo + 1; i < hi; i++) {
      if (at(i + 1).day - at(i).day > at(split + 1).day - at(split).day) split = i;
    }
    const gap = at(split + 1).day - at(split).day;
    const left = sum(lo, split);
    const right = sum(split + 1, hi);
    const dropLeft = left < right || (left === right && split - lo < hi - split - 1);
    const kept = dropLeft ? at(hi).day - at(split + 1).day + 1 : at(split).day - at(lo).day + 1;
    const events = dropLeft ? left : right;
    if (gap <= kept || dropped + events > budget) break;
    dropped += events;
    if (dropLeft) lo = split + 1;
    else hi = split;
  }
  return {
    first: days.length === 0 ? 0 : at(lo).day,
    last: days.length === 0 ? 0 : at(hi).day,
    outliers: [...days.slice(0, lo), ...days.slice(hi + 1)],
  };
}
