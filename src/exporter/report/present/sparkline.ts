const LEVELS = "▁▂▃▄▅▆▇█";

/**
 * One character per value, its height relative to `max`: a space for zero, at least `▁` for any
 * non-zero value, so a quiet day is never drawn as an empty one.
 */
export function sparkline(values: readonly number[], max = Math.max(0, ...values)): string {
  let out = "";
  for (const v of values) {
    if (v <= 0 || max <= 0) {
      out += " ";
      continue;
    }
    const level = Math.min(LEVELS.length, Math.max(1, Math.ceil((v / max) * LEVELS.length)));
    out += LEVELS[level - 1];
  }
  return out;
}
