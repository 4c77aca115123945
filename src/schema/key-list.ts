/**
 * Whether `key[ks, ks + length)` equals one of the keys noted at `starts[k]`, `lengths[k]` in
 * `stored`, for k in `[from, to)`: a repeated key, which JSON.parse keeps once (the last value,
 * in the first one's place). Compared in place, so no key string is made.
 */
export function holdsKey(
  stored: Uint8Array,
  starts: Int32Array,
  lengths: Int32Array,
  from: number,
  to: number,
  key: Uint8Array,
  ks: number,
  length: number,
): boolean {
  for (let k = from; k < to; k++) {
    if (lengths[k] !== length) continue;
    const at = starts[k] as number;
    let m = 0;
    while (m < length && stored[at + m] === key[ks + m]) m++;
    if (m === length) return true;
  }
  return false;
}
