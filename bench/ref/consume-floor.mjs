// Floor for consuming: split the files into lines and JSON.parse each, nothing else (plain JS).
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "";
let lines = 0;
const buffer = Buffer.allocUnsafe(64 * 1024);
for (const name of readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()) {
  const fd = openSync(join(dir, name), "r");
  let rest = "";
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, null);
    if (read === 0) break;
    const text = rest + buffer.toString("utf8", 0, read);
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      JSON.parse(text.slice(start, end));
      lines++;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  closeSync(fd);
}
process.stdout.write(`${JSON.stringify({ lines })}\n`);
