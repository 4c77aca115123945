import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventLine } from "./event-lines.js";

/**
 * Writes `files` input files `f<k>.jsonl` (k zero-padded to `digits`) into `dir`, each of
 * `perFile` events `e0`, `e1`, … with payload `{ f, i }`, one second apart across all files from
 * 2025-03-01; `invalidIn`, when given, is the file that gets `{not json` as its third line.
 */
export function writeNumberedInput(
  dir: string,
  files: number,
  perFile: number,
  digits: number,
  invalidIn?: number,
): void {
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < files; f++) {
    const lines = Array.from({ length: perFile }, (_, i) =>
      eventLine({
        event: `e${i}`,
        timestamp: new Date(Date.UTC(2025, 2, 1) + (f * perFile + i) * 1000),
        payload: { f, i },
      }),
    );
    if (f === invalidIn) lines.splice(2, 0, "{not json");
    writeFileSync(join(dir, `f${String(f).padStart(digits, "0")}.jsonl`), `${lines.join("\n")}\n`);
  }
}

/**
 * Appends `count` Tracker-shaped lines of channel `ch` to `path`, event `tick`, payload `{ i }`
 * numbered from `from`, one second apart from 2026-01-01 (i seconds in).
 */
export function appendNumbered(path: string, from: number, count: number): void {
  let text = "";
  for (let i = from; i < from + count; i++) {
    const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    const event = { schema_version: "telemetry_event_v1", channel: "ch", event: "tick", timestamp };
    text += `${JSON.stringify({ ...event, payload: { i } })}\n`;
  }
  appendFileSync(path, text);
}
