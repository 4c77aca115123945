// docs/api.md: plain JavaScript gets the checks TypeScript would make. A misspelt option was
// ignored (runEtl's `outputdir` wrote to the default directory; `filter` counted everything),
// `exportEvents` without `output` failed with a TypeError, and `inputs: "dir"` was read as paths
// of one character. Each is now a `usage` TelemetryError with the option's path.
import { existsSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  aggregateEvents,
  compactDataset,
  exportEvents,
  isTelemetryError,
  runEtl,
  scanEvents,
  validateEvents,
  writeHtmlReport,
} from "../../src/exporter/index.js";
import { API_OPTIONS } from "../../src/exporter/plan/api-options.js";
import { tempDir } from "../helpers/temp-dir.js";
import { ROOT } from "../setup/compiled-sources.js";

const TYPES: Record<keyof typeof API_OPTIONS, string> = {
  read: "ReadOptions",
  validate: "ScanOptions",
  export: "ExportOptions",
  aggregate: "AggregateOptions",
  etl: "EtlOptions",
  compact: "CompactOptions",
  loadReport: "ReportSourceOptions",
  writeHtmlReport: "WriteHtmlReportOptions",
  filters: "EventFilters",
};

// The properties of each exported options type, as TypeScript sees them (inherited ones too).
function declaredOptions(): Map<string, string[]> {
  const entry = join(ROOT, "src/exporter/index.ts");
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry) as ts.SourceFile;
  const module = checker.getSymbolAtLocation(source) as ts.Symbol;
  const found = new Map<string, string[]>();
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const type = checker.getDeclaredTypeOfSymbol(target);
    found.set(
      symbol.name,
      checker.getPropertiesOfType(type).map((p) => p.name),
    );
  }
  return found;
}

async function usageError(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isTelemetryError(error, "usage")).toBe(true);
  return error as { message: string; path: readonly (string | number)[] };
}

describe("the API's options from plain JavaScript", () => {
  it("the known options of each call are exactly its TypeScript options type's", () => {
    const declared = declaredOptions();
    for (const [call, type] of Object.entries(TYPES)) {
      const names = declared.get(type);
      expect(names, type).toBeDefined();
      expect([...API_OPTIONS[call as keyof typeof API_OPTIONS]].sort(), call).toEqual(
        [...(names ?? [])].sort(),
      );
    }
  }, 60_000);

  it("a misspelt option is refused with the one it meant, before anything is written", async () => {
    const cwd = process.cwd();
    const dir = tempDir();
    process.chdir(dir);
    try {
      const error = await usageError(
        runEtl({ inputs: [dir], outputdir: join(dir, "out") } as never),
      );
      expect(error.message).toBe("unknown option `outputdir`; did you mean `outputDir`?");
      expect(error.path).toEqual(["outputdir"]);
      expect(existsSync(join(dir, "reports"))).toBe(false);
      expect(existsSync(join(dir, "out"))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  it("a filter's key too, and every unknown key at once", async () => {
    const error = await usageError(
      aggregateEvents({ inputs: [tempDir()], filters: { channel: ["user"] }, filter: {} } as never),
    );
    expect(error.message).toBe(
      "unknown option `filter`; did you mean `filters`?; unknown option `filters.channel`; did you mean `filters.channels`?",
    );
    const issues = (error as unknown as { issues: { path: unknown }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual([["filter"], ["filters", "channel"]]);
  });

  it("a key near no option lists the known ones", async () => {
    const error = await usageError(compactDataset({ dataset: tempDir(), zzzzzzzz: 1 } as never));
    expect(error.message).toBe("unknown option `zzzzzzzz`; known options: dataset, rowGroupSize");
  });

  it("exportEvents without output: usage, path output (was a TypeError)", async () => {
    const error = await usageError(exportEvents({ inputs: [tempDir()] } as never));
    expect(error.message).toBe(
      "`output` is required: a file path, or a writable stream (JSON and JSONL)",
    );
    expect(error.path).toEqual(["output"]);
  });

  it("inputs given as one string: usage, with the array it meant", async () => {
    const error = await usageError(validateEvents({ inputs: "reports/telemetry" } as never));
    expect(error.message).toBe(
      '`inputs` must be an array of paths (got a string: pass ["reports/telemetry"])',
    );
    expect(error.path).toEqual(["inputs"]);
  });

  it("inputs holding something other than a path: usage, with its index (was a TypeError)", async () => {
    for (const inputs of [[1], [null], [["reports/telemetry"]]]) {
      const error = await usageError(validateEvents({ inputs } as never));
      expect(error.message).toBe("`inputs` must be an array of paths (strings)");
      expect(error.path).toEqual(["inputs", 0]);
    }
  });

  it("options that are no object: usage", async () => {
    await usageError(validateEvents("reports/telemetry" as never));
    await usageError(writeHtmlReport(null as never));
    expect(() => scanEvents([] as never, [])).toThrow("options must be an object");
  });
});
