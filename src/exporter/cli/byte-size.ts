/**
 * A byte count as people read it: exact below a kilobyte (two appended events are "412 bytes",
 * not "0.000 MB"), then one decimal in KB, MB or GB (decimal units, as `ls -h --si` and disk
 * vendors count).
 */
export function formatBytes(n: number): string {
  if (n < 1000) return n === 1 ? "1 byte" : `${n} bytes`;
  for (const [unit, size] of [
    ["KB", 1e3],
    ["MB", 1e6],
  ] as const) {
    if (n < size * 1000 - size / 20) return `${(n / size).toFixed(1)} ${unit}`;
  }
  return `${(n / 1e9).toFixed(1)} GB`;
}
