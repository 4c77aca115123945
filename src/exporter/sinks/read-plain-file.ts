import { constants } from "node:fs";
import { open } from "node:fs/promises";

/**
 * The text and modification time of the regular file `file` (a symbolic link followed only when
 * `follow`: a lock's files are never links). A FIFO planted where a lock holder's file or a
 * state file should be is opened without blocking and refused (EINVAL): a blocking open would
 * wait for a writer forever, and the thread pool's thread it held would keep even a SIGTERMed
 * run from exiting.
 */
export async function readPlainFile(
  file: string,
  follow = false,
): Promise<{ text: string; mtimeMs: number }> {
  const noFollow = follow ? 0 : constants.O_NOFOLLOW;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | noFollow);
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw Object.assign(new Error(`${file} is not a regular file`), { code: "EINVAL" });
    }
    return { text: await handle.readFile("utf8"), mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}
