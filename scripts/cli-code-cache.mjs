// Makes dist/cli/main.cjs.cache, the V8 code cache bin/load-cli.cjs loads with the CLI bundle.
// V8 compiles a function when it is first called; a cache made after the bundle has run every
// command once on a small sample holds the code of those functions too, not only the bundle's
// top level. Run by scripts/bundle-cli.mjs, in a process of its own, after the bundle is built.
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

const { loadCli, cacheFile } = createRequire(import.meta.url)("../bin/load-cli.cjs");
const dir = fileURLToPath(new URL("../dist/cli/", import.meta.url));
const { main, script } = loadCli(dir, false);

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
  const cache = join(dir, "main.cjs.cache");
  // Behind a digest of the bundle and of itself, which load-cli.cjs checks (V8 checks neither).
  const text = readFileSync(join(dir, "main.cjs"), "utf8");
  writeFileSync(`${cache}.tmp`, cacheFile(text, script.createCachedData()));
  renameSync(`${cache}.tmp`, cache);
} finally {
  rmSync(work, { force: true, recursive: true });
}
