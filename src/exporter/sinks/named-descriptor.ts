import { resolve } from "node:path";

// The links a shell's redirections are reached through: each names a descriptor of this process.
const STANDARD: Readonly<Record<string, number>> = {
  "/dev/stdin": 0,
  "/dev/stdout": 1,
  "/dev/stderr": 2,
};

/**
 * The descriptor of this process a path names (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/3`,
 * `/proc/<own pid>/fd/3`), or undefined. Writing goes through that descriptor, so the shell's
 * open file description (its offset, its `>>` append) is the one written to.
 */
export function namedDescriptor(path: string): number | undefined {
  const absolute = resolve(path);
  const standard = STANDARD[absolute];
  if (standard !== undefined) return standard;
  const own = `(?:self|thread-self|${process.pid})`;
  const match = new RegExp(`^(?:/dev/fd|/proc/${own}/fd)/([0-9]{1,9})$`).exec(absolute);
  return match === null ? undefined : Number(match[1]);
}

/**
 * True for a path in /dev or /proc: never replaced by a file of ours, whatever it links to.
 * /dev/shm is the exception: a tmpfs for ordinary files (scratch outputs), replaced as anywhere.
 */
export function isSystemPath(path: string): boolean {
  const absolute = resolve(path);
  if (absolute.startsWith("/dev/shm/")) return false;
  return absolute.startsWith("/dev/") || absolute.startsWith("/proc/");
}
