import { stat } from "node:fs/promises";

/** The mode of a new output file (less the umask). */
export const NEW_FILE_MODE = 0o644;

/**
 * The permission bits of the regular file at `target`, which an output replacing it keeps (a
 * user's `chmod 600` on an export stays private, as `sed -i` and editors keep it); undefined when
 * there is none. Set-id and sticky bits are not carried over.
 */
export async function keptMode(target: string): Promise<number | undefined> {
  const found = await stat(target).catch(() => undefined);
  return found?.isFile() === true ? found.mode & 0o777 : undefined;
}
