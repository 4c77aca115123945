import { readSync } from "node:fs";

/**
 * Where a file's final fragment (its bytes after the last "\n", a line not yet terminated)
 * starts, reading back from `size` no further than `from` and `limit` bytes; undefined when the
 * file ends with "\n", is empty past `from`, or the fragment is longer than `limit` (then it is
 * an over-long line, whatever else it is).
 */
export function finalFragment(
  fd: number,
  from: number,
  size: number,
  limit: number,
): number | undefined {
  if (size <= from) return undefined;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return undefined;
  const floor = Math.max(from, size - limit - 1);
  const after = afterLastNewline(fd, floor, size);
  if (after !== -1) return after;
  return floor === from ? from : undefined;
}

/** The offset just after the last "\n" in `[floor, size)` of the file open as `fd`, or -1. */
export function afterLastNewline(fd: number, floor: number, size: number): number {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  let end = size;
  while (end > floor) {
    const start = Math.max(floor, end - buffer.length);
    const read = readSync(fd, buffer, 0, end - start, start);
    const newline = buffer.subarray(0, read).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return -1;
}
