// Makes dist/cli/main.cjs.cache, the V8 code cache bin/load-cli.cjs loads with the CLI bundle,
// and those of the worker threads' bundles beside it. V8 compiles a function when it is first
// called; a cache made after the bundle has run every command once on a small sample (each
// thread's: every kind of segment) holds the code of those functions too, not only the bundle's
// top level. Run by scripts/bundle-cli.mjs, in a process of its own, after the bundles are built.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";

const loader = fileURLToPath(new URL("../bin/load-cli.cjs", import.meta.url));
const { loadCli, cacheFile } = createRequire(import.meta.url)(loader);
const dir = fileURLToPath(new URL("../dist/cli/", import.meta.url));
const { main, tuneWorkerCompilation, script } = loadCli(dir, false);

// Lines as the Tracker writes them, as Python's json.dumps does, with sorted keys, and broken
// ones: each takes other paths through the reader.
function sample(from, count) {
  const lines = [];
  for (let k = from; k < from + count; k++) {
    const at = new Date(Date.UTC(2025, 0, 1) + k * 3_600_000);
    const event = { schema_version: "telemetry_event_v1", channel: k % 2 ? "user" : "system" };
    const payload = { k, ok: k % 3 === 0, big: 2n ** 60n + BigInt(k), tags: ["a", `é${k}`] };
    const text = JSON.stringify(payload, (_, v) => (typeof v === "bigint" ? `#${v}#` : v)).replace(
      /"#(\d+)#"/g,
      "$1",
    );
    const head = `{"schema_version":"${event.schema_version}","channel":"${event.channel}","event":"e${k % 5}"`;
    if (k % 7 === 1) {
      lines.push(
        `{"schema_version": "telemetry_event_v1", "channel": "${event.channel}", "event": "e${k % 5}", "timestamp": "${at.toISOString().replace("Z", "000+00:00")}", "payload": ${text.replace(/([:,])/g, "$1 ")}}`,
      );
    } else if (k % 7 === 2) {
      lines.push(
        `{"channel":"${event.channel}","event":"e${k % 5}","payload":${text},"schema_version":"telemetry_event_v1","timestamp":"${at.toISOString()}"}`,
      );
    } else if (k % 29 === 3) lines.push(`${head},"timestamp":"not a time","payload":{}}`);
    else if (k % 31 === 4) lines.push(`${head},"timestamp":`);
    else lines.push(`${head},"timestamp":"${at.toISOString()}","payload":${text}}`);
  }
  return `${lines.join("\n")}\n`;
}

// Behind a digest of the bundle and of itself, which load-cli.cjs checks (V8 checks neither).
function writeCache(name, data) {
  const cache = join(dir, `${name}.cache`);
  writeFileSync(`${cache}.tmp`, cacheFile(readFileSync(join(dir, name)), data));
  renameSync(`${cache}.tmp`, cache);
}

// A worker thread running the bundle `name` as the CLI starts it, which writes the bundle's cache
// when asked on `workerData.cachePort` (the CLI's threads are never asked).
function cachingWorker(name, workerData = {}) {
  const { port1, port2 } = new MessageChannel();
  const load = `
    const { workerData } = require("node:worker_threads");
    const { script } = require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(join(dir, name))}, false);
    workerData.cachePort.once("message", () => workerData.cachePort.postMessage(script.createCachedData()));`;
  const worker = new Worker(load, {
    eval: true,
    workerData: { ...workerData, cachePort: port2 },
    transferList: [port2],
  });
  // Each message it is sent gets one reply, in order.
  const waiting = [];
  worker.on("message", (reply) => {
    // A reader thread says once that it is ready (its code loaded), before any reply.
    if (reply.ready === true) return;
    const waiter = waiting.shift();
    if (waiter === undefined) throw new Error(`${name}: a reply to no request`);
    if (!reply.ok) throw new Error(`${name} failed: ${reply.message}`);
    waiter(reply);
  });
  worker.on("error", (error) => {
    throw error;
  });
  return {
    ask: (message) => {
      worker.postMessage(message);
      return new Promise((resolve) => waiting.push(resolve));
    },
    cache: async () => {
      port1.postMessage("cache");
      const data = await new Promise((resolve) => port1.once("message", resolve));
      writeCache(name, Buffer.from(data));
      port1.close();
      await worker.terminate();
    },
  };
}

// The readers' and the Parquet encoder's threads, each given what the CLI gives them: segments
// of the sample for every output, then the columns read for the encoder.
async function workerCaches(path) {
  // As the CLI does once it is loaded: its threads are then made under the same V8 flags.
  tuneWorkerCompilation();
  const reader = cachingWorker("segment-worker.cjs");
  const text = readFileSync(path);
  const halves = [0, text.indexOf(10, text.length >> 1) + 1, text.length];
  const columns = [];
  for (const want of [
    { counts: true },
    { text: "json" },
    { text: "jsonl" },
    { counts: true, columns: true },
  ]) {
    for (let k = 0; k < 2; k++) {
      const segment = {
        index: k,
        fileIndex: 0,
        path,
        start: halves[k],
        end: halves[k + 1],
        gzip: false,
      };
      const full = {
        counts: false,
        text: undefined,
        columns: false,
        allDiagnostics: false,
        ...want,
      };
      const task = { segment, want: full, maxLineBytes: 1 << 20, filters: undefined };
      const reply = await reader.ask({ task });
      if (reply.result.columns !== undefined) columns.push(reply.result.columns);
    }
  }
  await reader.cache();
  const encoder = cachingWorker("parquet-encoder-worker.cjs", {
    generator: "cache",
    rowGroupSize: 64,
  });
  for (const block of columns) await encoder.ask({ kind: "rows", columns: block });
  await encoder.ask({ kind: "finish" });
  await encoder.ask({ kind: "file", columns: columns[0], omit: ["channel"] });
  await encoder.cache();
}

const work = mkdtempSync(join(tmpdir(), "telemetry-cli-cache-"));
try {
  const input = join(work, "in");
  const out = join(work, "out");
  mkdirSync(input);
  writeFileSync(join(input, "events.jsonl"), sample(0, 400));
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const io = { stdout: silent, stderr: silent, env: {} };
  const i = ["-i", input];
  const etl = ["etl", "--incremental", ...i, "--output-dir", join(out, "etl")];
  const runs = [
    ["validate", ...i],
    ["aggregate", ...i, "-o", join(out, "aggregates.json")],
    ["summary", ...i],
    ["report", ...i, "-o", join(out, "report.html")],
    ["export", ...i, "-o", join(out, "events.json")],
    ["export", ...i, "-f", "jsonl", "-o", join(out, "events.jsonl")],
    ["export", ...i, "-f", "parquet", "-o", join(out, "events.parquet")],
    etl,
    "append",
    etl,
    "append",
    etl,
  ];
  let next = 400;
  for (const run of runs) {
    if (run === "append") {
      appendFileSync(join(input, "events.jsonl"), sample(next, 40));
      next += 40;
      continue;
    }
    const code = await main(run, io);
    // 3: the sample's broken lines, found as they should be.
    if (code !== 0 && code !== 3) throw new Error(`\`${run.join(" ")}\` exited with ${code}`);
  }
  writeCache("main.cjs", script.createCachedData());
  await workerCaches(join(input, "events.jsonl"));
} finally {
  rmSync(work, { force: true, recursive: true });
}
