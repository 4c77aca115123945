import type { FileHandle } from "node:fs/promises";
import { TelemetryError } from "../../errors/index.js";
import { writeFully } from "./write-fully.js";
import type { WrittenIdentity } from "./written-identity.js";

// Kept out of the sinks' own modules, and the identity type out of this one: a public declaration
// that reaches a signature naming FileHandle needs node's types, which an app without @types/node
// does not have (test/package/consumer.test.ts).

/** Flushes a written file to disk and closes it: its identity, as its handle saw it last. */
export async function syncAndClose(handle: FileHandle): Promise<WrittenIdentity> {
  await handle.sync();
  const stat = await handle.stat({ bigint: true });
  await handle.close();
  return {
    dev: stat.dev.toString(),
    ino: stat.ino.toString(),
    size: Number(stat.size),
    mtime_ms: Number(stat.mtimeMs),
  };
}

/**
 * Writes all of `data` (a string as UTF-8) through `handle`, the open file of output `target`,
 * at `position` (null: at the handle's offset); the number of bytes written.
 */
export async function writeOutput(
  handle: FileHandle | undefined,
  target: string,
  data: string | Uint8Array,
  position: number | null = null,
): Promise<number> {
  if (handle === undefined) throw new TelemetryError("io_error", `${target} is already closed`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  try {
    await writeFully(handle, bytes, position);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new TelemetryError("io_error", `writing ${target} failed (${code})`, { cause });
  }
  return bytes.length;
}
