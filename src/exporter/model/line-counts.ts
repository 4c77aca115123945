const COUNTS = ["lines", "valid", "invalid", "blank", "filtered", "warnings"] as const;

/** A file's line counts, by outcome. */
export type LineCounts = Record<(typeof COUNTS)[number], number>;

/** Line counts over every file read, and how many files. */
export type LineTotals = Readonly<LineCounts & { files: number }>;

/** Line counts of nothing read yet. */
export function zeroCounts(): LineCounts {
  return { lines: 0, valid: 0, invalid: 0, blank: 0, filtered: 0, warnings: 0 };
}

/** Adds `source`'s line counts to `target`. */
export function addLineCounts(target: LineCounts, source: Readonly<LineCounts>): void {
  for (const key of COUNTS) target[key] += source[key];
}

/** Totals over a per-file inventory (an entry of several files folded counts them all). */
export function sumTotals(
  files: readonly (Readonly<LineCounts> & {
    readonly folded?: { readonly files: number } | undefined;
  })[],
): LineTotals {
  const totals = { files: 0, ...zeroCounts() };
  for (const file of files) {
    totals.files += file.folded?.files ?? 1;
    addLineCounts(totals, file);
  }
  return totals;
}
