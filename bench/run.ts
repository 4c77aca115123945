// The benchmark: ours against DuckDB, pino and the floors, in one invocation on the same data.
// Usage: node --import tsx bench/run.ts [--events N] [--runs R] [--no-scaling] [--smoke]
// --smoke (the test's run): every measurement once, without the warm-ups and the extra start-up
// rounds, so that it only shows that every comparison runs.

import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compactionBench } from "./compaction.js";
import { generate, type Shape } from "./generate.js";
import { measure, median, runOnce } from "./measure.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    "no-scaling": { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    data: { type: "string", default: "bench/data" },
    results: { type: "string", default: "bench/results.json" },
    "shape-events": { type: "string" },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);
const dataRoot = values.data;
const scratch = join(dataRoot, "out");
const node = process.execPath;
const tsx = ["--import", "tsx"];
const bin = "bin/telemetry-exporter.cjs";

// A data set, generated once and cached: `shape` from generate.ts, or the standard events as
// another producer writes them (rewrite.py, run by python3 itself).
type DataKind = Shape | "python" | "sorted";
async function dataset(n: number, kind: DataKind = "standard"): Promise<string> {
  const dir = join(dataRoot, kind === "standard" ? `events-${n}` : `${kind}-${n}`);
  const marker = join(dir, ".complete");
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    if (kind === "python" || kind === "sorted") {
      const source = await dataset(n, "standard");
      log(`writing ${dir} with python3 …`);
      const r = spawnSync("python3", ["bench/rewrite.py", kind, source, dir], { stdio: "inherit" });
      if (r.status !== 0) throw new Error(`python3 bench/rewrite.py ${kind} failed`);
    } else {
      await generate({ directory: dir, events: n, shape: kind });
    }
    writeFileSync(marker, String(n));
  }
  return dir;
}

// The 4x input: each 1x file four times over (same distribution, built in seconds).
function repeated(source: string, times: number): string {
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

interface Row {
  name: string;
  seconds: number;
  rssMiB: number | null;
  reference?: string;
  ratio?: number;
  target?: string;
  note?: string;
  /** The data set (consuming figures). */
  data?: string;
}
const fmtRatio = (r: number) => `${r.toFixed(2)}x`;
const rows: Row[] = [];
const log = (text: string) => process.stderr.write(`${text}\n`);

// The first command (cat) is the warm-up that fills the page cache for every later one; each
// measured figure is still the median of `runs` whole-process runs.
async function timed(
  name: string,
  args: readonly string[],
  command = node,
  warmUp = false,
): Promise<Row> {
  log(`running ${name} …`);
  const m = await measure(command, args, runs, warmUp);
  const row: Row = { name, seconds: m.seconds, rssMiB: m.rssMiB };
  rows.push(row);
  return row;
}

interface Job {
  readonly name: string;
  readonly args: readonly string[];
}

// Runs the jobs round-robin, `runs` rounds: a reference and ours see the same machine load, which
// on a shared machine matters more than anything else in a ratio.
async function interleaved(
  jobs: readonly Job[],
  rounds = runs,
): Promise<{ row: Row; outputs: string[] }[]> {
  const results = jobs.map(() => ({
    seconds: [] as number[],
    rss: [] as number[],
    outputs: [] as string[],
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [k, job] of jobs.entries()) {
      log(`running ${job.name} (${round + 1}/${rounds}) …`);
      const r = await runOnce(node, job.args);
      const into = results[k] as (typeof results)[number];
      into.seconds.push(r.seconds);
      if (r.rssMiB !== null) into.rss.push(r.rssMiB);
      into.outputs.push(r.output);
    }
  }
  return jobs.map((job, k) => {
    const r = results[k] as (typeof results)[number];
    const row: Row = {
      name: job.name,
      seconds: median(r.seconds),
      rssMiB: r.rss.length ? Math.max(...r.rss) : null,
    };
    rows.push(row);
    return { row, outputs: r.outputs };
  });
}

function compare(row: Row, reference: Row, target?: string): void {
  row.reference = reference.name;
  row.ratio = row.seconds / reference.seconds;
  if (target !== undefined && target !== "") row.target = target;
}

mkdirSync(scratch, { recursive: true });
const one = await dataset(events);
const out = (name: string) => join(scratch, name);

// Every consuming figure on every data set, each against the fair DuckDB reference (columns
// declared as we read them) measured round-robin with it. The other shapes default to sizes that
// keep the whole run short: their ratios, not their absolute times, are the figures.
const otherEvents =
  values["shape-events"] === undefined ? events / 2 : Number(values["shape-events"]);
const dataSets: { label: string; dir: string; targets: [string, string, string] }[] = [
  { label: "standard", dir: one, targets: ["<= 0.8x", "<= 0.4x", "<= 1.5x, RSS < 250 MB"] },
  {
    label: "python",
    dir: await dataset(otherEvents, "python"),
    targets: ["<= 1.5x", "<= 1.0x", "<= 2.0x"],
  },
  {
    label: "sorted",
    dir: await dataset(otherEvents, "sorted"),
    targets: ["<= 1.5x", "<= 1.0x", "<= 2.0x"],
  },
  { label: "small", dir: await dataset(otherEvents, "small"), targets: ["", "", ""] },
  // About 2 KB a line: an eighth of the events is about as many bytes as the standard set.
  {
    label: "heavy",
    dir: await dataset(Math.max(1, Math.round(events / 8)), "heavy"),
    targets: ["", "", ""],
  },
];
const duck = (task: string, dir: string, ...rest: string[]) => [
  "bench/ref/duckdb.mjs",
  task,
  dir,
  ...rest,
];
let ourAgg: Row | undefined;
let ourJson: Row | undefined;
let ourParquet: Row | undefined;
for (const { label, dir, targets } of dataSets) {
  const tag = (row: Row) => {
    row.data = label;
    return row;
  };
  tag(
    await timed(
      `cat inputs > /dev/null`,
      ["-c", `cat ${dir}/*.jsonl > /dev/null`],
      "/bin/sh",
      true,
    ),
  );
  const [parseFloor, duckAgg, agg] = (
    await interleaved([
      {
        name: "split + JSON.parse (floor, one thread)",
        args: ["bench/ref/consume-floor.mjs", dir],
      },
      { name: "DuckDB aggregate (fair, 2 threads)", args: duck("aggregate", dir) },
      {
        name: "telemetry-exporter aggregate",
        args: [bin, "aggregate", "-i", dir, "-o", out("agg.json"), "-q"],
      },
    ])
  ).map((r) => tag(r.row)) as [Row, Row, Row];
  compare(agg, duckAgg, targets[0]);
  compare(parseFloor, duckAgg);
  const [copyFloor, duckJson, json] = (
    await interleaved([
      {
        name: "read + write the bytes, fsync (floor, one thread)",
        args: ["bench/ref/copy-floor.mjs", dir, out("floor.json")],
      },
      { name: "DuckDB COPY to JSON array (fair)", args: duck("json", dir, out("duck.json")) },
      {
        name: "telemetry-exporter export --format json",
        args: [bin, "export", "-i", dir, "-o", out("events.json"), "-q"],
      },
    ])
  ).map((r) => tag(r.row)) as [Row, Row, Row];
  compare(json, duckJson, targets[1]);
  compare(copyFloor, duckJson);
  const [duckParquet, parquet] = (
    await interleaved([
      { name: "DuckDB COPY to Parquet (fair)", args: duck("parquet", dir, out("duck.parquet")) },
      {
        name: "telemetry-exporter export --format parquet",
        args: [bin, "export", "-f", "parquet", "-i", dir, "-o", out("events.parquet"), "-q"],
      },
    ])
  ).map((r) => tag(r.row)) as [Row, Row];
  compare(parquet, duckParquet, targets[2]);
  if (label === "standard") {
    ourAgg = agg;
    ourJson = json;
    ourParquet = parquet;
    // The old reference, kept as a labelled row per command: auto-detected columns make DuckDB
    // infer a STRUCT for `payload` and build one per line, work we do not do. One round.
    const old = await interleaved(
      [
        {
          name: "DuckDB aggregate, auto-detected columns (old reference)",
          args: duck("aggregate", dir, "", "--auto"),
        },
        {
          name: "DuckDB JSON array, auto-detected columns (old reference)",
          args: duck("json", dir, out("duck.json"), "--auto"),
        },
        {
          name: "DuckDB Parquet, auto-detected columns (old reference)",
          args: duck("parquet", dir, out("duck.parquet"), "--auto"),
        },
      ],
      1,
    );
    for (const [k, ours] of [agg, json, parquet].entries()) {
      const row = tag((old[k] as (typeof old)[number]).row);
      row.note = `ours ${fmtRatio(ours.seconds / row.seconds)} of it`;
    }
  }
}
if (ourAgg === undefined || ourJson === undefined || ourParquet === undefined)
  throw new Error("the standard data set was not measured");

// Incremental ETL: a full run (which saves the state), 1% of new lines appended to every file,
// then the incremental run; round by round, so both see the same machine load.
const incInput = out("inc-in");
const incOut = out("inc-out");
mkdirSync(incInput, { recursive: true });
const incFiles = readdirSync(one).filter((f) => f.endsWith(".jsonl"));
const originalSizes = new Map<string, number>();
const appended = new Map<string, Buffer>();
for (const name of incFiles) {
  const data = readFileSync(join(one, name));
  writeFileSync(join(incInput, name), data);
  originalSizes.set(name, data.length);
  appended.set(name, data.subarray(0, data.lastIndexOf(10, Math.floor(data.length / 100)) + 1));
}
const etlArgs = [bin, "etl", "--incremental", "-i", incInput, "--output-dir", incOut, "-q"];
const incTimes = { full: [] as number[], inc: [] as number[], none: [] as number[] };
const incRss = { full: [] as number[], inc: [] as number[], none: [] as number[] };
for (let round = 0; round < runs; round++) {
  for (const name of incFiles) truncateSync(join(incInput, name), originalSizes.get(name));
  log(`running incremental ETL (${round + 1}/${runs}) …`);
  const full = await runOnce(node, [...etlArgs, "--full"]);
  for (const name of incFiles) appendFileSync(join(incInput, name), appended.get(name) as Buffer);
  const inc = await runOnce(node, etlArgs);
  const none = await runOnce(node, etlArgs);
  for (const [key, r] of [
    ["full", full],
    ["inc", inc],
    ["none", none],
  ] as const) {
    incTimes[key].push(r.seconds);
    if (r.rssMiB !== null) incRss[key].push(r.rssMiB);
  }
}
const incRow = (name: string, key: keyof typeof incTimes): Row => {
  const row: Row = {
    name,
    seconds: median(incTimes[key]),
    rssMiB: incRss[key].length ? Math.max(...incRss[key]) : null,
  };
  rows.push(row);
  return row;
};
const fullEtl = incRow("etl --incremental --full (reads everything)", "full");
const incEtl = incRow("etl --incremental after +1% appended", "inc");
const noneEtl = incRow("etl --incremental, nothing new", "none");
compare(incEtl, fullEtl, "<= 0.05x");
compare(noneEtl, fullEtl);

// Compaction of a shared dataset: 100 small part files per partition, against their export.
const compaction = await compactionBench({
  bin,
  input: one,
  events,
  scratch: out,
  rounds: runs,
  log,
});
const exportShared: Row = {
  name: "export --partition-by channel --writer (the same rows)",
  ...compaction.exported,
};
const compactShared: Row = {
  name: "compact: 100 small part files per partition",
  ...compaction.compacted,
};
rows.push(exportShared, compactShared);
compare(compactShared, exportShared, "<= 1.5x");

// Emitting: events/s measured inside each process around the loop and the final flush.
const emitRows: Record<string, number> = {};
const kinds = ["stringify", "stringify-write", "stream", "pino", "tracker"] as const;
for (const kind of values.smoke ? [] : kinds) {
  rmSync(out(`emit-${kind}`), { recursive: true, force: true });
  await runOnce(node, [
    ...tsx,
    "bench/ref/emit.ts",
    kind,
    out(`emit-${kind}`),
    String(Math.min(events, 100_000)),
  ]);
}
const emitted = await interleaved(
  kinds.map((kind) => ({
    name: `emit: ${kind}`,
    args: [...tsx, "bench/ref/emit.ts", kind, out(`emit-${kind}`), String(events)],
  })),
);
for (const [k, kind] of kinds.entries()) {
  const { row, outputs } = emitted[k] as (typeof emitted)[number];
  const rate = median(
    outputs.map((o) => (JSON.parse(o) as { eventsPerSecond: number }).eventsPerSecond),
  );
  emitRows[kind] = rate;
  row.seconds = events / rate;
  row.note = `${Math.round(rate).toLocaleString("en-US")} events/s`;
  rmSync(out(`emit-${kind}`), { recursive: true, force: true });
}

// Start-up, against Node running an empty script (the floor for any CLI): cheap, so more
// rounds, which steadies the medians.
const [bareNode, help] = (
  await interleaved(
    [
      { name: "node with an empty script (the floor)", args: ["bench/ref/empty.cjs"] },
      { name: "telemetry-exporter --help", args: [bin, "--help"] },
    ],
    values.smoke ? 1 : Math.max(runs, 9),
  )
).map((r) => r.row) as [Row, Row];
help.target = "<= floor + 20 ms";
const overFloor = Math.round((help.seconds - bareNode.seconds) * 1000);
help.note = overFloor >= 0 ? `${overFloor} ms over the floor` : "at the floor (within noise)";

// Scaling: 4x the events, one run each after the 1x figures above.
const scaling: Record<
  string,
  { seconds: number; rssMiB: number | null; rssRatio: number | null; timeRatio: number }
> = {};
if (!values["no-scaling"]) {
  const four = repeated(one, 4);
  for (const [name, base, args] of [
    ["aggregate", ourAgg, [bin, "aggregate", "-i", four, "-o", out("agg4.json"), "-q"]],
    ["export json", ourJson, [bin, "export", "-i", four, "-o", out("events4.json"), "-q"]],
    [
      "export parquet",
      ourParquet,
      [bin, "export", "-f", "parquet", "-i", four, "-o", out("events4.parquet"), "-q"],
    ],
  ] as const) {
    log(`running 4x ${name} …`);
    const r = await runOnce(node, args);
    scaling[name] = {
      seconds: r.seconds,
      rssMiB: r.rssMiB,
      rssRatio: r.rssMiB !== null && base.rssMiB !== null ? r.rssMiB / base.rssMiB : null,
      timeRatio: r.seconds / base.seconds,
    };
  }
}
rmSync(scratch, { recursive: true, force: true });

const tracker = emitRows.tracker ?? 0;
const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
const summary = {
  trackerVsPino: tracker / (emitRows.pino ?? 1),
  trackerVsStringify: tracker / (emitRows.stringify ?? 1),
  trackerVsWriteFloor: tracker / (emitRows["stringify-write"] ?? 1),
  helpOverFloorMs: overFloor,
  helpSeconds: help.seconds,
  bareNodeSeconds: bareNode.seconds,
};
writeFileSync(
  values.results,
  `${JSON.stringify({ date: new Date().toISOString(), events, runs, machine, rows, emit: emitRows, summary, scaling }, null, 2)}\n`,
);

const fmt = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined ? "" : n.toFixed(digits);
const lines = [
  `${events.toLocaleString("en-US")} events, median of ${runs} runs after a warm-up, whole process; ${machine.cpus} × ${machine.model}, Node ${machine.node}`,
  "",
  "| Data | Measurement | Median s | Peak RSS MiB | Reference | Ratio | Target | Note |",
  "| --- | --- | ---: | ---: | --- | ---: | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.data ?? ""} | ${r.name} | ${fmt(r.seconds)} | ${fmt(r.rssMiB, 0)} | ${r.reference ?? ""} | ${r.ratio === undefined ? "" : `${fmt(r.ratio)}x`} | ${r.target ?? ""} | ${r.note ?? ""} |`,
  ),
  "",
  `Tracker: ${Math.round(tracker).toLocaleString("en-US")} events/s = ${fmt(summary.trackerVsPino)}x pino's default destination (target >= 3x), ${fmt(summary.trackerVsWriteFloor)} of the JSON.stringify + 64 KiB writeSync floor (target >= 0.9), ${fmt(summary.trackerVsStringify * 100, 0)}% of JSON.stringify alone.`,
  "",
  ...(Object.keys(scaling).length
    ? [
        "| 4x input | Seconds | Time vs 1x | Peak RSS MiB | RSS vs 1x (target <= 1.2x) |",
        "| --- | ---: | ---: | ---: | ---: |",
        ...Object.entries(scaling).map(
          ([k, v]) =>
            `| ${k} | ${fmt(v.seconds)} | ${fmt(v.timeRatio)}x | ${fmt(v.rssMiB, 0)} | ${fmt(v.rssRatio)}x |`,
        ),
      ]
    : []),
];
process.stdout.write(`${lines.join("\n")}\n`);
