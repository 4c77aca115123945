// The benchmark: ours against DuckDB, pino and the floors, in one invocation on the same data.
// Usage: node --import tsx bench/run.ts [--events N] [--runs R] [--no-scaling]

import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "./generate.js";
import { measure, median, runOnce } from "./measure.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    "no-scaling": { type: "boolean", default: false },
    data: { type: "string", default: "bench/data" },
    results: { type: "string", default: "bench/results.json" },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);
const dataRoot = values.data;
const scratch = join(dataRoot, "out");
const node = process.execPath;
const tsx = ["--import", "tsx"];
const bin = "dist/exporter/bin.js";

async function dataset(n: number): Promise<string> {
  const dir = join(dataRoot, `events-${n}`);
  const marker = join(dir, ".complete");
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    await generate({ directory: dir, events: n });
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
}
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

function compare(row: Row, reference: Row, target?: string): void {
  row.reference = reference.name;
  row.ratio = row.seconds / reference.seconds;
  if (target !== undefined) row.target = target;
}

mkdirSync(scratch, { recursive: true });
const one = await dataset(events);
const out = (name: string) => join(scratch, name);

// Consuming: floors, DuckDB, ours.
await timed("cat inputs > /dev/null", ["-c", `cat ${one}/*.jsonl > /dev/null`], "/bin/sh", true);
const parseFloor = await timed("split + JSON.parse (floor)", ["bench/ref/consume-floor.mjs", one]);
const duckAgg = await timed("DuckDB aggregate (2 threads)", [
  "bench/ref/duckdb.mjs",
  "aggregate",
  one,
]);
const ourAgg = await timed("telemetry-exporter aggregate", [
  bin,
  "aggregate",
  "-i",
  one,
  "-o",
  out("agg.json"),
  "-q",
]);
compare(ourAgg, duckAgg, "<= 1.0x");
compare(parseFloor, duckAgg);
const duckJson = await timed("DuckDB COPY to JSON array", [
  "bench/ref/duckdb.mjs",
  "json",
  one,
  out("duck.json"),
]);
const ourJson = await timed("telemetry-exporter export --format json", [
  bin,
  "export",
  "-i",
  one,
  "-o",
  out("events.json"),
  "-q",
]);
compare(ourJson, duckJson, "<= 0.5x");
const duckParquet = await timed("DuckDB COPY to Parquet", [
  "bench/ref/duckdb.mjs",
  "parquet",
  one,
  out("duck.parquet"),
]);
const ourParquet = await timed("telemetry-exporter export --format parquet", [
  bin,
  "export",
  "-f",
  "parquet",
  "-i",
  one,
  "-o",
  out("events.parquet"),
  "-q",
]);
compare(ourParquet, duckParquet, "<= 2.0x, RSS < 300 MB");

// Emitting: events/s measured inside each process around the loop and the final flush.
const emitRows: Record<string, number> = {};
for (const kind of ["stringify", "stream", "pino", "tracker"] as const) {
  const dir = out(`emit-${kind}`);
  rmSync(dir, { recursive: true, force: true });
  log(`running emit ${kind} …`);
  await runOnce(node, [...tsx, "bench/ref/emit.ts", kind, dir, String(Math.min(events, 100_000))]);
  const m = await measure(
    node,
    [...tsx, "bench/ref/emit.ts", kind, dir, String(events)],
    runs,
    false,
  );
  const rate = median(
    m.outputs.map((o) => (JSON.parse(o) as { eventsPerSecond: number }).eventsPerSecond),
  );
  emitRows[kind] = rate;
  rows.push({
    name: `emit: ${kind}`,
    seconds: events / rate,
    rssMiB: m.rssMiB,
    note: `${Math.round(rate).toLocaleString("en-US")} events/s`,
  });
  rmSync(dir, { recursive: true, force: true });
}

// Start-up.
const help = await timed("telemetry-exporter --help", [bin, "--help"]);

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
  helpSeconds: help.seconds,
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
  "| Measurement | Median s | Peak RSS MiB | Reference | Ratio | Target | Note |",
  "| --- | ---: | ---: | --- | ---: | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.name} | ${fmt(r.seconds)} | ${fmt(r.rssMiB, 0)} | ${r.reference ?? ""} | ${r.ratio === undefined ? "" : `${fmt(r.ratio)}x`} | ${r.target ?? ""} | ${r.note ?? ""} |`,
  ),
  "",
  `Tracker: ${Math.round(tracker).toLocaleString("en-US")} events/s = ${fmt(summary.trackerVsPino)}x pino's default destination, ${fmt(summary.trackerVsStringify * 100, 0)}% of the JSON.stringify floor (targets: >= 600,000/s, >= 4x, >= 60%).`,
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
