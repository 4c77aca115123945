// The bench's data sets, generated once and cached under a root directory: `shape` from
// generate.ts, or the standard events as another producer writes them (rewrite.py, run by
// python3 itself), and the 4x input.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { generate, type Shape } from "./generate.js";

export type DataKind = Shape | "python" | "sorted" | "fields";

/** The directory of `n` events of `kind` under `root`, generated if it is not there yet. */
export async function dataset(
  root: string,
  n: number,
  kind: DataKind,
  log: (text: string) => void,
): Promise<string> {
  const dir = join(root, kind === "standard" ? `events-${n}` : `${kind}-${n}`);
  const marker = join(dir, ".complete");
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    if (kind === "python" || kind === "sorted" || kind === "fields") {
      const source = await dataset(root, n, "standard", log);
      log(`writing ${dir} with python3 …`);
      const r = spawnSync("python3", ["bench/rewrite.py", kind, source, dir], { stdio: "inherit" });
      if (r.status !== 0) throw new Error(`python3 bench/rewrite.py ${kind} failed`);
    } else {
      log(`generating ${dir} …`);
      await generate({ directory: dir, events: n, shape: kind });
    }
    writeFileSync(marker, String(n));
  }
  return dir;
}

/** The 4x input: each file of `source` `times` times over (same distribution, built in seconds). */
export function repeated(source: string, times: number): string {
  const dir = `${source}-x${times}`;
  const marker = join(dir, ".complete");
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(source).filter((f) => f.endsWith(".jsonl"))) {
      const data = readFileSync(join(source, name));
      for (let i = 0; i < times; i++) appendFileSync(join(dir, name), data);
    }
    writeFileSync(marker, String(times));
  }
  return dir;
}
