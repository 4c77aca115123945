import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type Import, importsOf, layerViolations, readImports } from "./layer-rules.js";

const root = fileURLToPath(new URL("../../src/exporter/", import.meta.url));

function graph(files: Record<string, string>): Map<string, Import[]> {
  return new Map(Object.entries(files).map(([path, text]) => [path, importsOf(path, text)]));
}

describe("src/exporter's layers (ARCHITECTURE.md)", () => {
  it("has no cycle and no import that points up the layers", () => {
    const files = readImports(root);
    expect(files.size).toBeGreaterThan(50);
    expect(layerViolations(files)).toEqual([]);
  });

  it("reads static, type-only, re-export and dynamic imports", () => {
    const text = [
      'import { a } from "../plan/a.js";',
      'import type { B } from "./b.js";',
      'export { c } from "../model/c.js";',
      "const d = await import(",
      '  "../sinks/d.js");',
      'import {\n  e,\n  type F,\n} from "../state/e.js";',
    ].join("\n");
    expect(importsOf("engine/x.ts", text)).toEqual([
      { from: "engine/x.ts", to: "plan/a.ts", typeOnly: false },
      { from: "engine/x.ts", to: "engine/b.ts", typeOnly: true },
      { from: "engine/x.ts", to: "model/c.ts", typeOnly: false },
      { from: "engine/x.ts", to: "sinks/d.ts", typeOnly: false },
      { from: "engine/x.ts", to: "state/e.ts", typeOnly: false },
    ]);
  });

  it("fails on an upward import, a sideways one, a cross-command one and a cycle", () => {
    const problems = layerViolations(
      graph({
        "engine/a.ts": 'import type { S } from "../sinks/s.js";',
        "sinks/s.ts": 'import { a } from "../engine/a.js";',
        "state/t.ts": 'const r = await import("../report/r.js");',
        "report/r.ts": "",
        "commands/aggregate.ts": 'import { v } from "./validate.js";',
        "commands/validate.ts": "",
        "contracts.ts": 'import { z } from "./model/z.js";',
        "model/z.ts": 'import { t } from "../../tracker/index.js";',
      }),
    );
    expect(problems).toEqual([
      "engine/a.ts -> sinks/s.ts: points up or sideways (sinks is not below engine)",
      "state/t.ts -> report/r.ts: points up or sideways (report is not below state)",
      "commands/aggregate.ts -> commands/validate.ts: commands do not import each other",
      "contracts.ts -> model/z.ts: contracts.ts imports types only",
      "model/z.ts -> ../tracker/index.ts: outside the exporter",
      "cycle: engine/a.ts -> sinks/s.ts -> engine/a.ts",
    ]);
  });
});
