import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { expect } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { eventLine, NOW } from "./event-lines.js";
import { SETTLED } from "./settled-clock.js";
import { tempDir } from "./temp-dir.js";

// A writer's life under rotation, applied to two directories: `input`, where retention deletes
// segments, and `history`, where nothing is ever deleted. After each incremental run over
// `input`, its outputs must be a full run's over `history`: nothing lost, nothing twice
// (vector#23076, fluent-bit#3488), and never a needless full run.

const CHANNELS = ["user", "system", "sim"] as const;

/**
 * An incremental ETL over `input` into `out`, held to a full run over `history`: the same
 * report (paths aside) and the same events.
 */
export async function incrementalMatchesFull(input: string, history: string, out: string) {
  const inc = await runEtl({ inputs: [input], outputDir: out, incremental: true, now: NOW });
  const full = await runEtl({ inputs: [history], outputDir: tempDir(), now: NOW });
  expect(plainReport(inc.report, input)).toEqual(plainReport(full.report, history));
  expect(sortedEvents(inc.eventsPath)).toEqual(sortedEvents(full.eventsPath));
  return inc;
}

/** One step of a writer's life under rotation, or an incremental run. */
export const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      channel: fc.constantFrom(...CHANNELS),
      count: fc.integer({ min: 1, max: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("torn" as const),
      channel: fc.constantFrom(...CHANNELS),
      cut: fc.integer({ min: 1, max: 300 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("rotate" as const),
      channel: fc.constantFrom(...CHANNELS),
      // `create`: logrotate's directive of that name, an empty live file after the rotation.
      style: fc.constantFrom("tracker" as const, "logrotate" as const, "create" as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("compress" as const),
      pick: fc.nat(),
      finish: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("run" as const) }) },
);

export type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function stamp(k: number): string {
  return new Date(Date.UTC(2025, 2, 1) + k * 1000)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(".", "");
}

/** The two directories a sequence of steps is applied to. */
export class World {
  readonly input = tempDir();
  readonly history = tempDir();
  private serial = 0;
  private rotations = 0;
  private readonly pending = new Map<string, string>();
  /**
   * Rotated segments the last run saw whole, under the name they still have or, shifted by
   * logrotate since, under their new number: retention deletes only these (an archived file is
   * listed under the name it was last read by, its logrotate number moved on with the others).
   */
  private exported = new Set<string>();

  private both(fn: (dir: string) => void): void {
    fn(this.input);
    fn(this.history);
  }

  private line(channel: string): string {
    const k = this.serial++;
    const timestamp = new Date(Date.UTC(2025, 0, 1) + k * 60_000);
    return eventLine({ channel, event: `e${k % 4}`, timestamp, payload: { k } });
  }

  private finish(channel: string): void {
    const rest = this.pending.get(channel);
    if (rest === undefined) return;
    this.both((d) => appendFileSync(join(d, `${channel}.jsonl`), `${rest}\n`));
    this.pending.delete(channel);
  }

  private rotated(): string[] {
    return readdirSync(this.input)
      .filter((n) => n !== "user.jsonl" && n !== "system.jsonl" && n !== "sim.jsonl")
      .sort();
  }

  private move(dir: string, from: string, to: string): void {
    if (existsSync(join(dir, from))) renameSync(join(dir, from), join(dir, to));
  }

  apply(step: Op): void {
    if (step.kind === "append") {
      this.finish(step.channel);
      const text = Array.from({ length: step.count }, () => this.line(step.channel)).join("\n");
      this.both((d) => appendFileSync(join(d, `${step.channel}.jsonl`), `${text}\n`));
    } else if (step.kind === "torn") {
      this.finish(step.channel);
      const line = this.line(step.channel);
      const at = Math.min(step.cut, line.length);
      this.both((d) => appendFileSync(join(d, `${step.channel}.jsonl`), line.slice(0, at)));
      this.pending.set(step.channel, line.slice(at));
    } else if (step.kind === "rotate") {
      this.rotate(step.channel, step.style);
    } else if (step.kind === "compress") {
      this.compress(step.pick, step.finish);
    } else if (step.kind === "delete") {
      const candidates = [...this.exported].filter((n) => !existsSync(join(this.input, `${n}.gz`)));
      const name = candidates[step.pick % Math.max(1, candidates.length)];
      if (name === undefined) return;
      rmSync(join(this.input, name));
      this.exported.delete(name);
    }
  }

  private rotate(channel: string, style: "tracker" | "logrotate" | "create"): void {
    // The writer finishes its line before the file is rotated under it.
    this.finish(channel);
    const live = `${channel}.jsonl`;
    if (!existsSync(join(this.history, live))) return;
    if (style === "tracker") {
      const to = `${channel}.${stamp(this.rotations++)}.jsonl`;
      this.both((d) => this.move(d, live, to));
      return;
    }
    const numbered = new RegExp(`^${channel}\\.jsonl\\.(\\d+)(\\.gz)?$`);
    const shifts = readdirSync(this.history)
      .map((n) => numbered.exec(n))
      .filter((m) => m !== null)
      .sort((a, b) => Number(b[1]) - Number(a[1]));
    for (const m of shifts) {
      const to = `${live}.${Number(m[1]) + 1}${m[2] ?? ""}`;
      this.both((d) => this.move(d, m[0], to));
      // Read whole under its old name: retention may delete it under the new one, as logrotate's
      // own `rotate N` does in the same step.
      if (this.exported.delete(m[0])) this.exported.add(to);
    }
    this.both((d) => this.move(d, live, `${live}.1`));
    if (style === "create") this.both((d) => writeFileSync(join(d, live), ""));
  }

  private renamed(from: string): void {
    this.exported.delete(from);
  }

  private compress(pick: number, finish: boolean): void {
    const plain = this.rotated().filter((n) => !n.endsWith(".gz"));
    const name = plain[pick % Math.max(1, plain.length)];
    if (name === undefined) return;
    this.both((d) => {
      const gz = join(d, `${name}.gz`);
      if (!existsSync(gz)) writeFileSync(gz, gzipSync(readFileSync(join(d, name))));
      if (finish) rmSync(join(d, name));
    });
    if (finish) this.renamed(name);
  }

  /**
   * After a run: every rotated segment it saw was read whole (rotation finished its lines). A
   * `.gz` whose source is still there was not seen: the run read the source.
   */
  ran(): void {
    const names = this.rotated();
    const pending = (n: string) => n.endsWith(".gz") && names.includes(n.slice(0, -3));
    this.exported = new Set(names.filter((n) => !pending(n)));
  }
}

/** The events of an events output, each as JSON, sorted. */
export const sortedEvents = (path: string): string[] =>
  (JSON.parse(readFileSync(path, "utf8")) as unknown[]).map((e) => JSON.stringify(e)).sort();

/** A report with its input directory's name and the archived marks taken out. */
export const plainReport = (report: unknown, dir: string): unknown =>
  JSON.parse(JSON.stringify(report).replaceAll(dir, "IN").replaceAll(',"archived":true', ""));

/** What one incremental run over `input` gave, and a full run over `history` at that point. */
export interface RunPair {
  readonly mode: string | undefined;
  readonly incremental: { readonly report: unknown; readonly events: string[] };
  readonly full: { readonly report: unknown; readonly events: string[] };
}

/**
 * Applies `steps` (then a last run) to a new World, running the incremental ETL over its input
 * and a full one over its history at each run; `check` sees each pair as soon as it is made.
 */
export async function replay(
  steps: readonly Op[],
  check: (pair: RunPair, run: number) => void,
  tuning: { workers?: number; segmentBytes?: number } = {},
): Promise<void> {
  const world = new World();
  const out = tempDir();
  let runs = 0;
  for (const step of [...steps, { kind: "run" as const }]) {
    if (step.kind !== "run") {
      world.apply(step);
      continue;
    }
    const inc = await runEtl(
      { inputs: [world.input], outputDir: out, incremental: true, now: NOW, clock: SETTLED },
      tuning,
    );
    world.ran();
    const full = await runEtl({
      inputs: [world.history],
      outputDir: tempDir(),
      now: NOW,
      clock: SETTLED,
    });
    const pair: RunPair = {
      mode: inc.incremental?.mode,
      incremental: {
        report: plainReport(inc.report, world.input),
        events: sortedEvents(inc.eventsPath),
      },
      full: {
        report: plainReport(full.report, world.history),
        events: sortedEvents(full.eventsPath),
      },
    };
    check(pair, runs);
    runs += 1;
  }
}
