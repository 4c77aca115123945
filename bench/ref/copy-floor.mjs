// Floor for an incremental ETL run: what replacing the events output atomically costs at the
// least, done as the exporter does it: a copy of the file beside it (the kernel's copy, a reflink
// where the file system has them), fsynced, then removed (the exporter renames it into place).
// Usage: node bench/ref/copy-floor.mjs <file>
import { closeSync, constants, copyFileSync, fsyncSync, openSync, rmSync } from "node:fs";

const file = process.argv[2] ?? "";
const copy = `${file}.floor.tmp`;
copyFileSync(file, copy, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
const fd = openSync(copy, "r+");
fsyncSync(fd);
closeSync(fd);
rmSync(copy);
