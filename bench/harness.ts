// The rows of one bench invocation and the two ways they are measured: a command on its own
// (median of `runs` after an optional warm-up), or several round-robin, so that a reference and
// ours see the same machine load, which on a shared machine matters more than anything else in a
// ratio. Rows are printed as a Markdown table.
import { measure, median, runOnce } from "./measure.js";
import { meetsTarget } from "./targets.js";

export interface Row {
  name: string;
  seconds: number;
  rssMiB: number | null;
  /** Median user + system seconds, where a scenario measured it (the Note column shows it). */
  cpuSeconds?: number;
  reference?: string;
  ratio?: number;
  target?: string;
  note?: string;
  /** The data set (consuming figures). */
  data?: string;
  /** Whether the row meets its target (see targets.ts). */
  met?: boolean;
}

export interface Job {
  readonly name: string;
  readonly args: readonly string[];
  /** The process's environment; default: the bench's own. */
  readonly env?: NodeJS.ProcessEnv;
}

export const fmtRatio = (r: number) => `${r.toFixed(2)}x`;

const fmt = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined ? "" : n.toFixed(digits);

export class Harness {
  readonly rows: Row[] = [];

  constructor(
    readonly runs: number,
    readonly log: (text: string) => void,
  ) {}

  /** Adds a row measured elsewhere. */
  add(row: Row): Row {
    this.rows.push(row);
    return row;
  }

  /** One command, `runs` times, after a warm-up run if `warmUp`. */
  async timed(
    name: string,
    args: readonly string[],
    command = process.execPath,
    warmUp = false,
  ): Promise<Row> {
    this.log(`running ${name} …`);
    const m = await measure(command, args, this.runs, warmUp);
    return this.add({ name, seconds: m.seconds, rssMiB: m.rssMiB });
  }

  /** Node scripts round-robin, `rounds` rounds: a row each, with their last stdout lines. */
  async interleaved(
    jobs: readonly Job[],
    rounds = this.runs,
  ): Promise<{ row: Row; outputs: string[] }[]> {
    const results = jobs.map(() => ({
      seconds: [] as number[],
      rss: [] as number[],
      outputs: [] as string[],
    }));
    for (let round = 0; round < rounds; round++) {
      for (const [k, job] of jobs.entries()) {
        this.log(`running ${job.name} (${round + 1}/${rounds}) …`);
        const r = await runOnce(process.execPath, job.args, job.env);
        const into = results[k] as (typeof results)[number];
        into.seconds.push(r.seconds);
        if (r.rssMiB !== null) into.rss.push(r.rssMiB);
        into.outputs.push(r.output);
      }
    }
    return jobs.map((job, k) => {
      const r = results[k] as (typeof results)[number];
      const row = this.add({
        name: job.name,
        seconds: median(r.seconds),
        rssMiB: r.rss.length ? Math.max(...r.rss) : null,
      });
      return { row, outputs: r.outputs };
    });
  }

  /** Sets a row's ratio to its reference, and its target and whether it meets it. */
  compare(row: Row, reference: Row, target?: string): void {
    row.reference = reference.name;
    row.ratio = row.seconds / reference.seconds;
    if (target !== undefined && target !== "") {
      row.target = target;
      const met = meetsTarget(target, row.ratio, row.rssMiB);
      if (met !== undefined) row.met = met;
    }
  }

  /** The rows as a Markdown table. */
  table(): string[] {
    return [
      "| Data | Measurement | Median s | Peak RSS MiB | Reference | Ratio | Target | Met | Note |",
      "| --- | --- | ---: | ---: | --- | ---: | --- | --- | --- |",
      ...this.rows.map(
        (r) =>
          `| ${r.data ?? ""} | ${r.name} | ${fmt(r.seconds)} | ${fmt(r.rssMiB, 0)} | ${r.reference ?? ""} | ${r.ratio === undefined ? "" : `${fmt(r.ratio)}x`} | ${r.target ?? ""} | ${r.met === undefined ? "" : r.met ? "yes" : "no"} | ${[r.note, r.cpuSeconds === undefined ? undefined : `CPU ${fmt(r.cpuSeconds)} s`].filter((n) => n !== undefined).join("; ")} |`,
      ),
    ];
  }
}
