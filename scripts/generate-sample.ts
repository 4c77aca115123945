// Writes the committed sample in reports/telemetry/ through the Tracker: deterministic (seeded
// random numbers, fixed clock), so re-running it reproduces the same files.
import { rmSync } from "node:fs";
import { Tracker } from "../src/index.js";

const directory = process.argv[2] ?? "reports/telemetry";
const start = Date.UTC(2025, 2, 1, 6, 0, 0);
const days = 7;

let seed = 20250301;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const userEvents = ["Button Clicked", "user.login", "user.logout", "Page Viewed", "Search"];
const pages = ["/", "/dashboard", "/settings", "/runs", "/runs/42"];
const simEvents = ["sim:start", "sim:tick", "sim:checkpoint", "sim:end"];
const systemEvents = ["system.startup", "system.health", "disk.usage", "config.reloaded"];

for (const channel of ["user", "simulation", "system"]) {
  rmSync(`${directory}/${channel}.jsonl`, { force: true });
}

const tracker = new Tracker({ directory });
let time = start;
const end = start + days * 86_400_000;
let run = 0;
while (time < end) {
  time += Math.floor(random() * 45 * 60_000) + 60_000;
  const roll = random();
  const timestamp = new Date(time);
  if (roll < 0.5) {
    const event = pick(userEvents);
    tracker.record(
      "user",
      event,
      {
        user_id: `u-${Math.floor(random() * 40) + 1}`,
        page: pick(pages),
        ...(event === "Search" ? { query: pick(["latency", "gpu", "run 42", "errors"]) } : {}),
        client: { app: "console", version: pick(["1.4.0", "1.4.1", "1.5.0"]) },
      },
      { timestamp },
    );
  } else if (roll < 0.85) {
    const event = pick(simEvents);
    if (event === "sim:start") run++;
    tracker.record(
      "simulation",
      event,
      {
        run_id: `run-${run}`,
        step: Math.floor(random() * 10_000),
        metrics: { loss: Number((random() * 2).toFixed(4)), fps: Math.round(random() * 120) },
        tags: [pick(["cpu", "gpu"]), pick(["nightly", "manual"])],
      },
      { timestamp },
    );
  } else {
    tracker.record(
      "system",
      pick(systemEvents),
      {
        host: pick(["build-1", "build-2", "sim-a"]),
        healthy: random() > 0.1,
        disk_free_gb: Math.round(random() * 500),
      },
      { timestamp },
    );
  }
}
await tracker.close();
const { recorded, written } = tracker.stats();
process.stdout.write(`recorded ${recorded} events, wrote ${written} to ${directory}\n`);
