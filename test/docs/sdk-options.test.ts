// The Tracker's options tables (README.md, docs/sdk.md) and the `rotate` table are checked
// against the defaults the Tracker applies: a default changed in the code fails here until the
// docs say so. What each default does is tested with the option itself (test/tracker/).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveTrackerOptions } from "../../src/tracker/options.js";
import { resolveRotation } from "../../src/tracker/rotation-options.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** `[name, default]` of each row of the table whose header starts with `header`. */
function defaults(path: string, header: string): [string, string][] {
  const text = readFileSync(join(root, path), "utf8");
  const table = text.slice(text.indexOf(header)).split("\n\n")[0] ?? "";
  return table
    .split("\n")
    .slice(2)
    .map((line) => line.split(" | ").map((cell) => cell.replace(/^\|\s*/, "").trim()))
    .map(([name, dflt]) => [(name ?? "").replace(/`/g, ""), dflt ?? ""]);
}

/** The value a Default cell names (its leading literal), `undefined` for none. */
function documented(cell: string): unknown {
  const literal = /^`([^`]+)`/.exec(cell)?.[1];
  if (literal === undefined) {
    if (["none", "off", "no limit", "first error becomes a process warning"].includes(cell)) {
      return undefined;
    }
    throw new Error(`teach this test the default "${cell}"`);
  }
  if (literal === "Date.now") return Date.now;
  if (/^0o[0-7]+$/.test(literal)) return Number(literal);
  return JSON.parse(literal);
}

describe("the Tracker's documented defaults are the ones it applies", () => {
  const resolved = { ...resolveTrackerOptions({}) } as Record<string, unknown>;

  it.each(["README.md", "docs/sdk.md"])("%s: the options table", (path) => {
    const rows = defaults(path, "| Option ");
    expect(rows.map(([name]) => name).sort()).toEqual(Object.keys(resolved).sort());
    for (const [name, cell] of rows) {
      expect({ name, value: resolved[name] }).toEqual({ name, value: documented(cell) });
    }
  });

  it("docs/sdk.md: the rotate table", () => {
    const rows = defaults("docs/sdk.md", "| Key ");
    // Rotation needs a size or a frequency: each key is resolved with the other one given.
    const bySize = { ...resolveRotation({ size: 1 }) } as Record<string, unknown>;
    const byPeriod = { ...resolveRotation({ frequency: "daily" }) } as Record<string, unknown>;
    expect(rows.map(([name]) => name).sort()).toEqual(Object.keys(bySize).sort());
    for (const [name, cell] of rows) {
      const value = (name === "size" ? byPeriod : bySize)[name];
      expect({ name, value }).toEqual({ name, value: documented(cell) });
    }
  });
});
