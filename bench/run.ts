// The benchmark: ours against DuckDB, pino and the floors, in one invocation on the same data.
// Usage: node --import tsx bench/run.ts [--events N] [--runs R] [--no-scaling] [--smoke]
//   [--etl-events N] [--only GROUP,...]
// --smoke (the test's run): every measurement once, without the warm-ups and the extra start-up
// rounds, so that it only shows that every comparison runs. --etl-events: the size of the
// incremental ETL's data set (default: --events; its target is for 10M). --only: some of the
// groups in GROUPS, for a look at a few rows.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { compactionBench } from "./compaction.js";
import { consumingBench, type DataSet } from "./consuming.js";
import { type DataKind, dataset as dataset_, repeated } from "./datasets.js";
import { withoutStartUpWork } from "./environment.js";
import { Harness, type Row } from "./harness.js";
import { incrementalBench } from "./incremental.js";
import { median, runOnce } from "./measure.js";
import { rotationBench } from "./rotation.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    runs: { type: "string", default: "3" },
    "no-scaling": { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    data: { type: "string", default: "bench/data" },
    results: { type: "string", default: "bench/results.json" },
    "shape-events": { type: "string" },
    "etl-events": { type: "string" },
    only: { type: "string" },
  },
});
const GROUPS = [
  "consuming",
  "incremental",
  "rotation",
  "compaction",
  "emit",
  "startup",
  "scaling",
] as const;
const only = values.only?.split(",");
const unknownGroup = only?.find((g) => !(GROUPS as readonly string[]).includes(g));
if (unknownGroup !== undefined)
  throw new Error(`--only: unknown group ${unknownGroup} (groups: ${GROUPS.join(", ")})`);
const wanted = (group: (typeof GROUPS)[number]) => only === undefined || only.includes(group);
const events = Number(values.events);
const etlEvents = values["etl-events"] === undefined ? events : Number(values["etl-events"]);
const runs = Number(values.runs);
const dataRoot = values.data;
const scratch = join(dataRoot, "out");
const node = process.execPath;
const tsx = ["--import", "tsx"];
const bin = "bin/telemetry-exporter.cjs";

const log = (text: string) => process.stderr.write(`${text}\n`);
// Every process started below inherits this process's environment: see environment.ts.
const machineEnv = { ...process.env };
const startUp = withoutStartUpWork(machineEnv);
for (const name of startUp.removed) {
  delete process.env[name];
  log(`${name} is not passed to the measured processes (start-up work none of them uses)`);
}
const h = new Harness(runs, log);
const dataset = (n: number, kind: DataKind = "standard") => dataset_(dataRoot, n, kind, log);

mkdirSync(scratch, { recursive: true });
const one = await dataset(events);
const out = (name: string) => join(scratch, name);

// Every consuming figure on every data set, each against the fair DuckDB reference (columns
// declared as we read them) measured round-robin with it. The other shapes default to sizes that
// keep the whole run short: their ratios, not their absolute times, are the figures.
const otherEvents =
  values["shape-events"] === undefined ? events / 2 : Number(values["shape-events"]);
const dataSets: DataSet[] = !wanted("consuming")
  ? []
  : [
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
      // Python's lines with two more top-level fields, which every output keeps.
      {
        label: "fields",
        dir: await dataset(otherEvents, "fields"),
        targets: ["<= 1.5x", "<= 1.0x", "<= 2.0x"],
        extra: "host:VARCHAR,pid:BIGINT",
      },
      { label: "small", dir: await dataset(otherEvents, "small"), targets: ["", "", ""] },
      // About 2 KB a line: an eighth of the events is about as many bytes as the standard set.
      {
        label: "heavy",
        dir: await dataset(Math.max(1, Math.round(events / 8)), "heavy"),
        targets: ["", "", ""],
      },
    ];
const standard = await consumingBench(h, dataSets, bin, out);

// Incremental ETL: against a full run, round by round. Its target is for 10M events
// (`--etl-events`); at 1M the incremental run is bound by start-up.
if (wanted("incremental")) {
  const etlData = etlEvents === events ? one : await dataset(etlEvents);
  const inc = await incrementalBench({ bin, input: etlData, scratch: out, rounds: runs, log });
  const sized = (name: string, side: typeof inc.full): Row => {
    const row: Row = { name, ...side };
    if (etlEvents !== events) row.note = `${etlEvents.toLocaleString("en-US")} events`;
    return h.add(row);
  };
  const fullEtl = sized("etl --incremental --full (reads everything)", inc.full);
  h.compare(sized("etl --incremental after +1% appended", inc.appended), fullEtl, "<= 0.05x");
  const first = "etl --incremental, +1%, first run after a full one (copies the events file)";
  h.compare(sized(first, inc.first), fullEtl);
  h.compare(sized("etl --incremental, nothing new", inc.nothingNew), fullEtl);
  const floor = "copy + fsync of the events output (what a run without the spare pays)";
  h.compare(sized(floor, inc.copyFloor), fullEtl);
}

// Rotation (issue 14): the incremental run after a rotation against the same +1% appended
// without one, round by round; each run is checked to be incremental, the outputs to be a full
// run's.
if (wanted("rotation")) {
  const rot = await rotationBench({ bin, input: one, scratch: out, rounds: runs, log });
  const plain: Row = {
    name: "etl --incremental, +1% appended (rotation's reference)",
    ...rot.appended,
  };
  const renamed: Row = {
    name: "etl --incremental after rotation: renamed, +1% in a new live file",
    ...rot.renamed,
  };
  const compressed: Row = {
    name: "etl --incremental after rotation: the older segment compressed, +1% new",
    ...rot.compressed,
  };
  for (const row of [plain, renamed, compressed]) h.add(row);
  h.compare(renamed, plain, "<= 1.2x");
  h.compare(compressed, plain, "<= 1.2x");
}

// Compaction of a shared dataset: 100 small part files per partition, against their export.
if (wanted("compaction")) {
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
  h.add(exportShared);
  h.add(compactShared);
  h.compare(compactShared, exportShared, "<= 1.5x");
}

// Emitting: events/s measured inside each process around the loop and the final flush.
const emitRows: Record<string, number> = {};
const kinds = wanted("emit")
  ? (["stringify", "stringify-write", "stream", "pino", "tracker"] as const)
  : [];
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
const emitted = await h.interleaved(
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
let startup: { help: Row; bareNode: Row; overFloor: number } | undefined;
if (wanted("startup")) {
  const [bareNode, help, withMachineEnv] = (
    await h.interleaved(
      [
        { name: "node with an empty script (the floor)", args: ["bench/ref/empty.cjs"] },
        { name: "telemetry-exporter --help", args: [bin, "--help"] },
        ...(startUp.removed.length === 0
          ? []
          : [
              {
                name: `node with an empty script, ${startUp.removed.join(", ")} as the machine sets it`,
                args: ["bench/ref/empty.cjs"],
                env: machineEnv,
              },
            ]),
      ],
      values.smoke ? 1 : Math.max(runs, 9),
    )
  ).map((r) => r.row) as [Row, Row, Row?];
  if (withMachineEnv !== undefined) {
    withMachineEnv.note = `${Math.round((withMachineEnv.seconds - bareNode.seconds) * 1000)} ms more than the floor: what every process would pay at start`;
  }
  help.target = "<= floor + 20 ms";
  const overFloor = Math.round((help.seconds - bareNode.seconds) * 1000);
  help.met = overFloor <= 20;
  help.note = overFloor >= 0 ? `${overFloor} ms over the floor` : "at the floor (within noise)";
  startup = { help, bareNode, overFloor };
}

// Scaling: 4x the events, one run each after the 1x figures above.
const scaling: Record<
  string,
  { seconds: number; rssMiB: number | null; rssRatio: number | null; timeRatio: number }
> = {};
if (!values["no-scaling"] && wanted("scaling") && standard !== undefined) {
  const four = repeated(one, 4);
  for (const [name, base, args] of [
    ["aggregate", standard.agg, [bin, "aggregate", "-i", four, "-o", out("agg4.json"), "-q"]],
    ["export json", standard.json, [bin, "export", "-i", four, "-o", out("events4.json"), "-q"]],
    [
      "export parquet",
      standard.parquet,
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
  helpOverFloorMs: startup?.overFloor,
  helpSeconds: startup?.help.seconds,
  bareNodeSeconds: startup?.bareNode.seconds,
};
writeFileSync(
  values.results,
  `${JSON.stringify({ date: new Date().toISOString(), events, etlEvents, runs, machine, removedFromEnvironment: startUp.removed, rows: h.rows, emit: emitRows, summary, scaling }, null, 2)}\n`,
);

const fmt = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined ? "" : n.toFixed(digits);
const lines = [
  `${events.toLocaleString("en-US")} events, median of ${runs} runs after a warm-up, whole process; ${machine.cpus} × ${machine.model}, Node ${machine.node}${startUp.removed.length ? `; not in the measured processes' environment: ${startUp.removed.join(", ")}` : ""}`,
  "",
  ...h.table(),
  "",
  ...(kinds.length
    ? [
        `Tracker: ${Math.round(tracker).toLocaleString("en-US")} events/s = ${fmt(summary.trackerVsPino)}x pino's default destination (target >= 3x), ${fmt(summary.trackerVsWriteFloor)} of the JSON.stringify + 64 KiB writeSync floor (target >= 0.9), ${fmt(summary.trackerVsStringify * 100, 0)}% of JSON.stringify alone.`,
        "",
      ]
    : []),
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
