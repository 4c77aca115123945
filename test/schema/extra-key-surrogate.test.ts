// A lone UTF-16 surrogate (only a `\u` escape spells one in UTF-8 text) makes an event invalid
// wherever it is, the key of another top-level field included: the zod path's shape check walks
// every key. The fast path once checked those fields' values but not their keys.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEvent, parseEventFromText } from "../../src/schema/index.js";
import { parseEventWithSchema } from "../../src/schema/parse-event.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const CORE =
  '"schema_version":"telemetry_event_v1","channel":"app","event":"e","timestamp":"2025-03-01T10:00:00.000Z","payload":{"a":1}';
const LINES = [
  `{${CORE},"\\ud800":1}`,
  `{${CORE},"host":"a","x\\udc00y":[1]}`,
  `{"\\udbff":null,${CORE}}`,
  `{${CORE},"__proto__":1,"\\ud83d":true}`,
];

describe("another top-level field whose key holds a lone surrogate", () => {
  it.each(LINES)("is a schema_violation on the fast path as on the schema's (%s)", (line) => {
    const value = JSON.parse(line);
    const reference = parseEventWithSchema(value);
    expect(reference.ok).toBe(false);
    expect(parseEvent(value)).toEqual(reference);
    expect(parseEventFromText(value, line)).toEqual(reference);
  });

  it("is reported by validate and left out of an export", async () => {
    const dir = tempDir();
    const input = join(dir, "events.jsonl");
    writeFileSync(input, `${LINES.join("\n")}\n`);
    const validate = await runCli(["validate", "-i", input]);
    expect(validate.code).toBe(3);
    expect(validate.stderr).toContain("schema_violation: 4");
    const run = await runCli(["export", "-i", input, "-f", "jsonl", "-o", "-", "-q"]);
    expect(run.stdout).toBe("");
  });
});
