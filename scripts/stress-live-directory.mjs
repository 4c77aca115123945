// A one-shot `export` in a loop beside a Tracker that rotates every 64 KiB and compresses each
// segment at once (test/fixtures/processes/rotate-steadily.ts), until the Tracker stops (40 s).
// After each export, every channel's sequence numbers must be 0..n-1, each once; a GAP or a
// DUPLICATE is printed with where the event is on disk, and the exit code is 1.
//
//   make build && node scripts/stress-live-directory.mjs [BASE]
//
// BASE is the folder the Tracker writes under (default: the system's temp folder). To check a
// file system without birth times, make one: `truncate -s 8G fs.img && mkfs.ext4 -I 128 fs.img
// && mount -o loop fs.img /mnt/x` (as root), then pass /mnt/x. docs/cli.md says what this holds.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), "stress-"));
const out = join(mkdtempSync(join(tmpdir(), "stress-out-")), "events.jsonl");
const fixture = "test/fixtures/processes/rotate-steadily.ts";
const writer = spawn(process.execPath, ["--import", "tsx", fixture, dir, "40000"], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
});
let writing = true;
writer.on("exit", () => {
  writing = false;
});
await new Promise((resolve) => writer.stdout.once("data", resolve));

// Where each event is on disk now (channel:i to file name), the .gz of a pending compression left out.
function onDisk() {
  const names = new Set(readdirSync(dir));
  const where = new Map();
  for (const name of names) {
    if (name.startsWith(".") || !/\.jsonl(\.gz)?$/.test(name)) continue;
    if (name.endsWith(".gz") && names.has(name.slice(0, -3))) continue;
    const bytes = readFileSync(join(dir, name));
    const text = (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString();
    for (const line of text.split("\n")) {
      if (!line) continue;
      const event = JSON.parse(line);
      where.set(`${event.channel}:${event.payload.i}`, name);
    }
  }
  return where;
}

let runs = 0;
while (writing) {
  await new Promise((resolve) => setImmediate(resolve));
  const args = [join(root, "bin/telemetry-exporter.cjs"), "export", "-i", dir, "-f", "jsonl"];
  const run = spawnSync(process.execPath, [...args, "-o", out, "-q"], { encoding: "utf8" });
  runs++;
  if (run.status !== 0) {
    console.log(`export exited ${run.status}: ${run.stderr}`);
    process.exitCode = 1;
    continue;
  }
  const byChannel = new Map();
  for (const line of readFileSync(out, "utf8").split("\n")) {
    if (!line) continue;
    const event = JSON.parse(line);
    if (!byChannel.has(event.channel)) byChannel.set(event.channel, []);
    byChannel.get(event.channel).push(event.payload.i);
  }
  for (const [channel, seq] of byChannel) {
    seq.sort((a, b) => a - b);
    const bad = seq.findIndex((i, k) => i !== k);
    if (bad < 0) continue;
    writer.kill("SIGSTOP");
    const where = onDisk();
    const kind = seq[bad] < bad ? "DUPLICATE" : "GAP";
    console.log(
      `${kind} in export ${runs}, ${channel}: position ${bad} holds ${seq[bad]}; ` +
        `${bad} is in ${where.get(`${channel}:${bad}`)}, ${bad - 1} in ${where.get(`${channel}:${bad - 1}`)}`,
    );
    writer.kill("SIGCONT");
    process.exitCode = 1;
  }
}
console.log(
  `${runs} exports, ${process.exitCode === 1 ? "with defects (above)" : "each event once"}`,
);
rmSync(dir, { recursive: true, force: true });
rmSync(join(out, ".."), { recursive: true, force: true });
