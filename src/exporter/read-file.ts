import { createReadStream, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { classifyLine, type LineOutcome, tooLongOutcome } from "./classify-line.js";
import { LineSplitter } from "./line-splitter.js";

/** Receives each line's outcome, and a call after every chunk (a point to write output). */
export interface FileReadHandler {
  line(outcome: LineOutcome, lineNumber: number): void;
  chunkDone(bytesRead: number): Promise<void> | void;
}

/** How reading a file ended. */
export type FileReadEnd =
  | { readonly ok: true; readonly lines: number }
  | {
      readonly ok: false;
      readonly lines: number;
      readonly code: "unreadable_file" | "invalid_gzip";
      readonly message: string;
    };

// 64 KiB reads measured twice as fast as 1 MiB ones here (fewer page faults).
const CHUNK_BYTES = 64 * 1024;

/** Size of a regular file, or why it cannot be read as one. */
export function inspectFile(
  path: string,
): { ok: true; bytes: number } | { ok: false; message: string } {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return { ok: false, message: "is a directory" };
    if (!stat.isFile()) return { ok: false, message: "is not a regular file" };
    return { ok: true, bytes: stat.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: code === "ENOENT" ? "is a broken link or vanished" : String(code),
    };
  }
}

/**
 * Streams one file (gunzipping `*.gz`) line by line into `handler`. Never throws for the
 * file's content or an I/O error: the returned value says how it ended.
 */
export async function readFileLines(
  path: string,
  maxLineBytes: number,
  handler: FileReadHandler,
): Promise<FileReadEnd> {
  const splitter = new LineSplitter(maxLineBytes, {
    line: (bytes, n, terminated) =>
      handler.line(classifyLine(bytes, terminated, n === 1, maxLineBytes), n),
    tooLong: (n, bytes) => handler.line(tooLongOutcome(bytes, maxLineBytes), n),
  });
  const gzip = path.endsWith(".gz");
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const stream: Readable = gzip ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  if (gzip) file.on("error", (error) => stream.destroy(error));
  // Errors from the handler (--strict, a failing output) propagate; only the stream's own
  // errors describe the file.
  let handlerError: unknown;
  try {
    for await (const chunk of stream) {
      try {
        splitter.push(chunk as Buffer);
        await handler.chunkDone(file.bytesRead);
      } catch (error) {
        handlerError = error;
        throw error;
      }
    }
  } catch (error) {
    if (error === handlerError) throw error;
    const err = error as NodeJS.ErrnoException;
    const isGzip = gzip && (err.code?.startsWith("Z_") ?? false);
    return {
      ok: false,
      lines: splitter.lines,
      code: isGzip ? "invalid_gzip" : "unreadable_file",
      message: isGzip
        ? `gzip data is corrupt or truncated (${err.message})`
        : `read failed (${err.code ?? err.message})`,
    };
  } finally {
    file.destroy();
  }
  splitter.end();
  return { ok: true, lines: splitter.lines };
}
