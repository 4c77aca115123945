// Floor for the JSON export (plain JS, one thread): read the input files in 64 KiB chunks, as
// the exporter does, and write their bytes to a temp file beside the output in 4 MiB writes,
// then fsync and rename it, as the exporter's atomic output does. No line is looked at.
// Usage: node bench/ref/write-floor.mjs <dir> <out>
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

const [dir = "", out = ""] = process.argv.slice(2);
const temp = `${out}.floor.tmp`;
const output = openSync(temp, "w");
const pending = Buffer.allocUnsafe(4 * 1024 * 1024);
let used = 0;
for (const name of readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()) {
  const fd = openSync(join(dir, name), "r");
  for (;;) {
    if (pending.length - used < 64 * 1024) {
      writeSync(output, pending, 0, used);
      used = 0;
    }
    const read = readSync(fd, pending, used, 64 * 1024, null);
    if (read === 0) break;
    used += read;
  }
  closeSync(fd);
}
writeSync(output, pending, 0, used);
fsyncSync(output);
closeSync(output);
renameSync(temp, out);
