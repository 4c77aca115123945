import { mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { TelemetryError } from "../../../errors/index.js";
import { writeFully } from "../write-fully.js";

/**
 * Writes a new file (never replacing one) and fsyncs it, making its directory. `shownAs`: the
 * path errors name (a file written inside a temp directory is named where it will end up).
 */
export async function writeSyncedFile(
  path: string,
  bytes: Uint8Array,
  shownAs = path,
): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    const handle = await open(path, "wx", 0o644);
    try {
      await writeFully(handle, bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new TelemetryError("io_error", `writing ${shownAs} failed (${code})`, { cause });
  }
}
