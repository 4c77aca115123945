// logrotate's numbered rotation of `<dir>/user.jsonl`, as `compress` + `delaycompress` and
// `rotate <keep>` run it, in either of its two ways of leaving a new live file.
import {
  appendFileSync,
  copyFileSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const NUMBERED = /^user\.jsonl\.(\d+)(\.gz)?$/;

/**
 * One rotation: `.N` files shift to `.N+1` (those past `keep` are deleted first), the one now
 * `.2` is gzipped, and the live file becomes `.1`: renamed (`create`), or copied and cut to
 * nothing in place (`copytruncate`). Then the application writes `fresh` to the live file.
 */
export function logrotate(
  dir: string,
  how: "create" | "copytruncate",
  keep: number,
  fresh: string,
): void {
  const numbered = readdirSync(dir)
    .map((name) => ({ name, match: NUMBERED.exec(name) }))
    .filter((f) => f.match !== null)
    .map((f) => ({ name: f.name, n: Number(f.match?.[1]), gz: f.match?.[2] ?? "" }))
    .sort((a, b) => b.n - a.n);
  for (const { name, n } of numbered) if (n >= keep) rmSync(join(dir, name));
  for (const { name, n, gz } of numbered) {
    if (n < keep) renameSync(join(dir, name), join(dir, `user.jsonl.${n + 1}${gz}`));
  }
  const second = join(dir, "user.jsonl.2");
  if (numbered.some((f) => f.n === 1 && f.gz === "")) {
    writeFileSync(`${second}.gz`, gzipSync(readFileSync(second)));
    rmSync(second);
  }
  const live = join(dir, "user.jsonl");
  if (how === "create") {
    renameSync(live, join(dir, "user.jsonl.1"));
    writeFileSync(live, fresh);
    return;
  }
  copyFileSync(live, join(dir, "user.jsonl.1"));
  truncateSync(live, 0);
  appendFileSync(live, fresh);
}
