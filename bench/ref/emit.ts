// Emitting N events: our Tracker against pino's default destination, a buffered write stream,
// and JSON.stringify alone. Prints events/s measured around the recording loop plus the final
// flush, so every event is on disk (or serialized) when the clock stops.
import { closeSync, createWriteStream, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { Tracker } from "../../src/index.js";

const [kind = "tracker", dir = "", countText = "1000000"] = process.argv.slice(2);
const count = Number(countText);
// Start from an empty directory: runs repeat, and appending to earlier output would grow it.
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const NAMES = ["button.clicked", "page.viewed", "run.started", "run.stopped", "job.failed"];
const payloads = Array.from({ length: 1000 }, (_, i) => ({
  user: `user-${i}`,
  n: i * 7,
  ratio: i / 13,
  ok: i % 3 === 0,
  client: { os: i % 2 ? "linux" : "macos", version: `1.${i % 20}.0` },
  tags: [i % 10, i % 7],
}));
const start = Date.UTC(2025, 0, 1);

async function run(): Promise<void> {
  if (kind === "tracker") {
    const tracker = new Tracker({ directory: dir, clock: () => start });
    for (let i = 0; i < count; i++)
      tracker.record("user", NAMES[i % 5] as string, payloads[i % 1000]);
    await tracker.close();
    if (tracker.stats().written !== count) throw new Error("lost events");
  } else if (kind === "pino") {
    const destination = pino.destination({ dest: join(dir, "pino.jsonl"), sync: false });
    const logger = pino({ base: null, timestamp: false }, destination);
    for (let i = 0; i < count; i++) {
      logger.info({
        schema_version: "telemetry_event_v1",
        channel: "user",
        event: NAMES[i % 5],
        timestamp: new Date(start).toISOString(),
        payload: payloads[i % 1000],
      });
    }
    await new Promise<void>((resolve) => destination.flush(() => resolve()));
    destination.end();
  } else if (kind === "stream") {
    const stream = createWriteStream(join(dir, "stream.jsonl"), { highWaterMark: 64 * 1024 });
    for (let i = 0; i < count; i++) {
      const line = `${JSON.stringify({ schema_version: "telemetry_event_v1", channel: "user", event: NAMES[i % 5], timestamp: new Date(start).toISOString(), payload: payloads[i % 1000] })}\n`;
      if (!stream.write(line))
        await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  } else if (kind === "stringify-write") {
    // The floor for a logger that writes every event: the same serialization, lines gathered
    // into a 64 KiB buffer and written with writeSync, nothing else.
    const fd = openSync(join(dir, "floor.jsonl"), "a");
    const buffer = Buffer.allocUnsafe(64 * 1024);
    let used = 0;
    for (let i = 0; i < count; i++) {
      const line = `${JSON.stringify({
        schema_version: "telemetry_event_v1",
        channel: "user",
        event: NAMES[i % 5],
        timestamp: new Date(start).toISOString(),
        payload: payloads[i % 1000],
      })}\n`;
      if (used + line.length * 3 > buffer.length) {
        writeSync(fd, buffer, 0, used);
        used = 0;
      }
      used += buffer.write(line, used);
    }
    writeSync(fd, buffer, 0, used);
    closeSync(fd);
  } else if (kind === "stringify") {
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      bytes += JSON.stringify({
        schema_version: "telemetry_event_v1",
        channel: "user",
        event: NAMES[i % 5],
        timestamp: new Date(start).toISOString(),
        payload: payloads[i % 1000],
      }).length;
    }
    if (bytes === 0) throw new Error("nothing serialized");
  } else {
    throw new Error(`unknown kind ${kind}`);
  }
}

const t0 = performance.now();
await run();
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ eventsPerSecond: Math.round(count / seconds), seconds })}\n`,
);
