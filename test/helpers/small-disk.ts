import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp-dir.js";

const mounts: string[] = [];

/** A tmpfs of `size`, or undefined where this machine does not allow mounting one. */
export function smallDisk(size = "256k"): string | undefined {
  const dir = join(tempDir(), "disk");
  mkdirSync(dir);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  mounts.push(dir);
  return dir;
}

/** Unmounts every disk {@link smallDisk} mounted; call after each test. */
export function unmountSmallDisks(): void {
  for (const dir of mounts.splice(0)) execFileSync("umount", [dir]);
}

/** Writes `path` until the disk is full: not one more page fits. */
export function fillDisk(path: string): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(4096, 0x20);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}
