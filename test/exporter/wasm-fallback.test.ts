// The reader checks payloads in WebAssembly where it can run, and in JavaScript where it cannot
// (`--jitless` has no WebAssembly): both must give the same outputs, byte for byte, on lines the
// WebAssembly check answers for and on lines it leaves to the JavaScript.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { eventLine } from "../helpers/event-lines.js";
import { BIN } from "../helpers/run-bin.js";
import { finished } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const PAYLOADS = [
  { k0_1: 564.852, k1_1: "session 5 note 51hx", k3_1: 94313 },
  { k5_0: { os: "macos", version: "1.19.0", gpu: false }, list: [1, -0.25, null, true, "é\n"] },
  {},
];
// Payloads the WebAssembly check leaves to the JavaScript (and some it refuses outright).
const RAW_PAYLOADS = [
  '{"a":-0}',
  '{"a":1e+21}',
  '{"a":12345678901234567890}',
  '{"1":1,"b":2}',
  '{"a":1,"a":2}',
  '{"a":"\\u0041\\/"}',
  '{ "a" : 1 }',
  `{"deep":${"[".repeat(70)}${"]".repeat(70)}}`,
  '{"a":0.0000001}',
];

function lines(): string {
  const out: string[] = [];
  for (let k = 0; k < 300; k++) {
    const timestamp = new Date(Date.UTC(2025, 2, 1 + (k % 5), k % 24)).toISOString();
    out.push(eventLine({ event: `e${k % 7}`, timestamp, payload: PAYLOADS[k % PAYLOADS.length] }));
    const raw = RAW_PAYLOADS[k % RAW_PAYLOADS.length] as string;
    out.push(
      eventLine({ event: "raw", timestamp }).replace(/"payload":\{\}\}$/, `"payload":${raw}}`),
    );
  }
  return `${out.join("\n")}\n`;
}

async function run(nodeFlags: string[], args: string[]) {
  const result = await finished(
    spawn(process.execPath, [...nodeFlags, BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] }),
  );
  // `--jitless` says that it turns WebAssembly off; nothing else may be said.
  expect(result.stderr.replace(/^Warning: disabling flag --expose_wasm.*\n/, "")).toBe("");
  return result;
}

describe("payloads checked with and without WebAssembly", () => {
  it("give the same exports and reports", async () => {
    const dir = tempDir();
    // A plain file and a compressed one (zlib's chunks are copied into the checks' memory).
    const input = join(dir, "in");
    mkdirSync(input);
    writeFileSync(join(input, "user.jsonl"), lines());
    writeFileSync(join(input, "sim.jsonl.gz"), gzipSync(lines()));
    const outputs: Record<string, string[]> = {};
    for (const [name, flags] of [
      ["wasm", []],
      ["jitless", ["--jitless"]],
    ] as const) {
      const events = join(dir, `${name}.jsonl`);
      const report = join(dir, `${name}.json`);
      const exported = await run(
        [...flags],
        ["export", "-i", input, "--format", "jsonl", "-o", events, "-q"],
      );
      expect(exported.code).toBe(0);
      const aggregated = await run([...flags], ["aggregate", "-i", input, "-o", report, "-q"]);
      expect(aggregated.code).toBe(0);
      const reportText = readFileSync(report, "utf8").replace(/"generated_at": "[^"]*"/, "");
      outputs[name] = [readFileSync(events, "utf8"), reportText];
    }
    expect(outputs.jitless).toEqual(outputs.wasm);
    // Every line but the refused ones (repeated key, too deep) is exported.
    expect(outputs.wasm?.[0]?.split("\n").length).toBeGreaterThan(1000);
  });
});
