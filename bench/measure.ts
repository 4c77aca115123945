import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

/** One timed run of a command: wall and CPU seconds, peak RSS, its last stdout line, all it wrote. */
export interface Run {
  readonly seconds: number;
  /** User + system time, with GNU time (null without it). */
  readonly cpuSeconds: number | null;
  readonly rssMiB: number | null;
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = "/usr/bin/time";

/** Runs a command to completion, measuring wall time here and peak RSS with GNU time when present. */
export function runOnce(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Run> {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed
    ? [GNU_TIME, ["-f", "RSS_KIB=%M CPU_S=%U %S", command, ...args]]
    : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${stderr.slice(-500)}`));
        return;
      }
      const rss = /RSS_KIB=(\d+) CPU_S=([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({
        seconds,
        cpuSeconds: rss ? Number(rss[2]) + Number(rss[3]) : null,
        rssMiB: rss ? Number(rss[1]) / 1024 : null,
        output: stdout.trim().split("\n").at(-1) ?? "",
        stdout,
        stderr: stderr.replace(/RSS_KIB=.*\n?$/, ""),
      });
    });
  });
}

/** Median of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** An optional warm-up run, then `runs` measured ones: median time, peak RSS, and the outputs. */
export async function measure(
  command: string,
  args: readonly string[],
  runs: number,
  warmUp = true,
) {
  if (warmUp) await runOnce(command, args);
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(command, args));
  const rss = results.map((r) => r.rssMiB).filter((v): v is number => v !== null);
  return {
    seconds: median(results.map((r) => r.seconds)),
    rssMiB: rss.length ? Math.max(...rss) : null,
    outputs: results.map((r) => r.output),
  };
}

/** Median wall and CPU seconds and peak RSS of one measured side. */
export interface Side {
  readonly seconds: number;
  readonly cpuSeconds?: number;
  readonly rssMiB: number | null;
}

/** The runs of several sides measured round by round, reduced to a {@link Side} each. */
export class Samples<K extends string> {
  private readonly seconds = new Map<K, number[]>();
  private readonly rss = new Map<K, number[]>();
  private readonly cpu = new Map<K, number[]>();

  add(key: K, run: Run): void {
    this.seconds.set(key, [...(this.seconds.get(key) ?? []), run.seconds]);
    if (run.rssMiB !== null) this.rss.set(key, [...(this.rss.get(key) ?? []), run.rssMiB]);
    if (run.cpuSeconds !== null) this.cpu.set(key, [...(this.cpu.get(key) ?? []), run.cpuSeconds]);
  }

  side(key: K): Side {
    const rss = this.rss.get(key) ?? [];
    const cpu = this.cpu.get(key) ?? [];
    return {
      seconds: median(this.seconds.get(key) ?? []),
      rssMiB: rss.length ? Math.max(...rss) : null,
      ...(cpu.length ? { cpuSeconds: median(cpu) } : {}),
    };
  }
}
