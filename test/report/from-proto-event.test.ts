import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// Event names that are also names of Object.prototype's members: data, like any other name.
const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "plain"];

function writeInput(): string {
  const input = join(tempDir(), "in");
  mkdirSync(input);
  const lines = NAMES.flatMap((event, i) =>
    Array.from({ length: i + 1 }, (_, k) =>
      JSON.stringify({
        schema_version: "telemetry_event_v1",
        channel: "user",
        event,
        timestamp: `2025-03-01T10:0${i}:0${k}.000Z`,
        payload: {},
      }),
    ),
  );
  writeFileSync(join(input, "user.jsonl"), `${lines.join("\n")}\n`);
  return input;
}

// What the page says: its key figures and its (channel, event) table, as a reader sees them.
function shown(html: string): { figures: string[]; events: string[] } {
  const { document } = new JSDOM(html).window;
  const cells = (selector: string) =>
    [...document.querySelectorAll(selector)].map((e) => e.textContent ?? "");
  return { figures: cells("dl dd"), events: cells("#event-table tbody tr") };
}

describe("a saved report read back with --from", () => {
  it("keeps an event named __proto__: summary and report equal those made from the inputs", async () => {
    const input = writeInput();
    const dir = tempDir();
    const saved = join(dir, "agg.json");
    expect((await runCli(["aggregate", "-i", input, "-o", saved, "-q"])).code).toBe(0);
    expect(
      Object.getOwnPropertyDescriptor(JSON.parse(readFileSync(saved, "utf8")).by_event, "__proto__")
        ?.value,
    ).toBe(1);

    const direct = await runCli(["summary", "-i", input, "-q"]);
    const fromSaved = await runCli(["summary", "--from", saved]);
    expect(fromSaved).toMatchObject({ code: 0, stderr: "" });
    expect(fromSaved.stdout).toContain("(5 event names)");
    expect(fromSaved.stdout).toBe(direct.stdout);

    const fromInputs = join(dir, "inputs.html");
    const fromReport = join(dir, "saved.html");
    expect((await runCli(["report", "-i", input, "-o", fromInputs, "-q"])).code).toBe(0);
    expect((await runCli(["report", "--from", saved, "-o", fromReport, "-q"])).code).toBe(0);
    const page = shown(readFileSync(fromReport, "utf8"));
    expect(page).toEqual(shown(readFileSync(fromInputs, "utf8")));
    expect(page.events.some((row) => row.includes("__proto__"))).toBe(true);
  });

  it("refuses a report whose __proto__ entry is not a count, naming where", async () => {
    const input = writeInput();
    const saved = join(tempDir(), "agg.json");
    expect((await runCli(["aggregate", "-i", input, "-o", saved, "-q"])).code).toBe(0);
    const text = readFileSync(saved, "utf8").replace('"__proto__": 1', '"__proto__": -1');
    writeFileSync(saved, text);
    const run = await runCli(["summary", "--from", saved]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is not an aggregate report .* at by_event\.__proto__: not a count/);
  });
});
