import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AggregateReport, aggregateEvents } from "../../src/exporter/index.js";

/** Event names a page or a terminal must show as text, never interpret. */
export const HOSTILE_NAMES = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "\u202eevil\u202c name",
  "名前".repeat(100),
  "&lt;already&gt; & escaped",
] as const;

const line = (channel: string, event: string, timestamp: string) =>
  JSON.stringify({
    schema_version: "telemetry_event_v1",
    channel,
    event,
    timestamp,
    payload: {},
  });

/**
 * Inputs with hostile event names, a hostile file name and invalid lines whose excerpts hold
 * markup and terminal escapes, aggregated with a fixed clock.
 */
export async function hostileReport(dir: string): Promise<AggregateReport> {
  const lines = HOSTILE_NAMES.map((name, i) =>
    line("user", name, `2025-03-0${i + 1}T10:00:00.000Z`),
  );
  lines.push('{"broken": "</code><script>alert(2)</script>\u001b[31mred');
  writeFileSync(join(dir, "user.jsonl"), `${lines.join("\n")}\n`);
  writeFileSync(
    join(dir, "<b>bold<\\b>.jsonl"),
    `${line("system", "ok", "2025-03-01T00:00:00.000Z")}\nnot json \u001b]0;title\u0007\n`,
  );
  const { report } = await aggregateEvents({
    inputs: [dir],
    now: () => new Date("2026-01-02T03:04:05.000Z"),
  });
  return report;
}
