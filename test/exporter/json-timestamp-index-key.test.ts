// The JSON export cuts a nanosecond timestamp to microseconds in the event's text. JSON.stringify
// writes index-like keys ("7") before the core fields, so a parsed event's other top-level field
// can come first, and its value may hold the very text `"timestamp":"<the event's timestamp>"`:
// that text is the field's data, to be kept, and the event's own timestamp is the one to cut.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const TS = "2025-03-01T10:00:00.123456789Z";
const CORE = `"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"${TS}","payload":{"a":1}`;
const EXTRAS = [
  `"7":{"timestamp":"${TS}"}`,
  `"0":[{"timestamp":"${TS}"}],"host":"h"`,
  `"42":{"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"${TS}"}`,
  `"1":{"timestamp":"${TS}","n":1.0}`,
  `"3":"\\"timestamp\\":\\"${TS}\\"","5":{"\\"timestamp\\"":"${TS}"}`,
];

describe("JSON export of an event whose index-like field holds its timestamp's text", () => {
  it.each(EXTRAS)(
    "cuts the event's timestamp and keeps the field as written (%s)",
    async (extra) => {
      const dir = tempDir();
      const input = join(dir, "events.jsonl");
      const line = `{${CORE},${extra}}`;
      writeFileSync(input, `${line}\n`);
      const output = join(dir, "out.json");
      const run = await runCli(["export", "-i", input, "-f", "json", "-o", output, "-q"]);
      expect(run.code).toBe(0);
      const [event] = JSON.parse(readFileSync(output, "utf8")) as Record<string, unknown>[];
      const want = JSON.parse(line) as Record<string, unknown>;
      want.timestamp = "2025-03-01T10:00:00.123456Z";
      expect(event).toEqual(want);
      // Numbers as written, too: the field's text is the line's.
      if (extra.includes("1.0")) expect(readFileSync(output, "utf8")).toContain('"n":1.0');
    },
  );
});
