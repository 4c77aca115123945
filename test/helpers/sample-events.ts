import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Tracker } from "../../src/index.js";
import type { TelemetryEvent } from "../../src/schema/index.js";
import { tempDir } from "./temp-dir.js";

/** Records a small, varied set of events into `directory` through the Tracker; returns them. */
export async function recordSample(directory: string, count = 60): Promise<TelemetryEvent[]> {
  const tracker = new Tracker({ directory });
  const events: TelemetryEvent[] = [];
  const channels = ["user", "simulation", "system"] as const;
  const names = ["Button Clicked", "user.login", "sim:tick", "disk.usage"];
  for (let i = 0; i < count; i++) {
    const channel = channels[i % channels.length] as string;
    const event = names[i % names.length] as string;
    const timestamp = new Date(Date.UTC(2025, 2, 1 + (i % 4), i % 24, i % 60, 0, i));
    events.push(
      tracker.record(
        channel,
        event,
        { i, nested: { list: [i, `s${i}`, null, i % 2 === 0] }, text: 'é "q"' },
        { timestamp },
      ),
    );
  }
  events.push(
    tracker.record("user", "micro", {}, { timestamp: "2025-03-02T10:00:00.123456+02:00" }),
  );
  // A "__proto__" key and a surrogate pair must survive every format.
  events.push(
    tracker.record(
      "user",
      "proto",
      JSON.parse('{"__proto__":{"admin":true},"k":"\\ud83d\\ude00"}'),
    ),
  );
  await tracker.close();
  return events;
}

/** Sorts events the way the exporter reads them: file (channel) order, then line order. */
export function inReadOrder(events: readonly TelemetryEvent[]): TelemetryEvent[] {
  const channels = [...new Set(events.map((e) => e.channel))].sort();
  return channels.flatMap((channel) => events.filter((e) => e.channel === channel));
}

/** A fresh directory with {@link recordSample}'s events; with `bad`, user.jsonl ends in a bad line. */
export async function sampleInput(bad = false) {
  const input = tempDir();
  const events = await recordSample(input);
  if (bad) writeFileSync(join(input, "user.jsonl"), "{bad\n", { flag: "a" });
  return { input, events };
}
