import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { duckdbRows } from "../helpers/duckdb.js";
import { runBin } from "../helpers/run-bin.js";
import { tempDir } from "../helpers/temp-dir.js";

// Diagnostics quote the line, and the line may hold emoji or lone surrogates: what the
// diagnostics file and the aggregate report say must stay text every reader takes. A lone
// surrogate in either made DuckDB refuse the whole file ("no low surrogate in string") and
// Python fail to write what json.load returned as UTF-8.

const HEAD = '{"schema_version":"telemetry_event_v1","channel":"User","event":"';

const LINES = [
  // V8's JSON.parse message quotes the first UTF-16 unit of an unexpected emoji.
  "😀😀😀 not json",
  // The excerpt's 120 UTF-16 units end between the two halves of an emoji.
  `${HEAD}${"a".repeat(120 - HEAD.length - 1)}😀😀","timestamp":"x","payload":{}}`,
  // A payload key that is a lone surrogate, named by the message and the path.
  '{"schema_version":"telemetry_event_v1","channel":"user","event":"e","timestamp":"2025-03-01T10:00:00Z","payload":{"\\ud800":1}}',
];

// Reads both files with Python's json and writes every string back as UTF-8.
const PYTHON_UTF8 = `
import json, sys
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        text = handle.read()
    docs = [json.loads(l) for l in text.split("\\n") if l] if name.endswith(".jsonl") else [json.load(open(name, encoding="utf-8"))]
    json.dumps(docs, ensure_ascii=False).encode("utf-8")
print("ok")
`;

describe("diagnostics stay well-formed text", () => {
  it("DuckDB and Python read the diagnostics file and the aggregate report of lines with emoji and lone surrogates", async () => {
    const input = join(tempDir(), "in");
    mkdirSync(input);
    writeFileSync(join(input, "events.jsonl"), `${LINES.join("\n")}\n`);
    const out = tempDir();
    const diagnostics = join(out, "diagnostics.jsonl");
    const report = join(out, "aggregates.json");
    const run = await runBin([
      ...["aggregate", "-i", input, "-o", report, "--diagnostics", diagnostics, "-q"],
    ]);
    expect(run.code, run.stderr).toBe(0);

    const rows = await duckdbRows(
      `SELECT line::INTEGER AS line, code FROM read_json_auto('${diagnostics}') ORDER BY line`,
    );
    expect(rows).toEqual([
      { line: 1, code: "invalid_json" },
      { line: 2, code: "schema_violation" },
      { line: 3, code: "schema_violation" },
    ]);
    const [aggregate] = await duckdbRows(
      `SELECT len(anomalies.first)::INTEGER AS n FROM read_json_auto('${report}')`,
    );
    expect(aggregate).toEqual({ n: 3 });

    const python = spawnSync("python3", ["-c", PYTHON_UTF8, diagnostics, report], {
      encoding: "utf8",
    });
    expect(python.stderr).toBe("");
    expect(python.stdout.trim()).toBe("ok");

    // The excerpt is cut before the emoji it would have split, the key shown as U+FFFD.
    const found = readFileSync(diagnostics, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { excerpt: string; path?: string[] });
    expect(found[1]?.excerpt).toBe(`${HEAD}${"a".repeat(120 - HEAD.length - 1)}…`);
    expect(found[2]?.path).toEqual(["payload", "\ufffd"]);
  });
});
