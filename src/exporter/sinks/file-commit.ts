import type { FileHandle } from "node:fs/promises";
import { TelemetryError } from "../../errors/index.js";
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

/** The error of a write to `target` that failed. */
export function writeFailed(target: string, cause: unknown): TelemetryError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new TelemetryError("io_error", `writing ${target} failed (${code})`, { cause });
}
