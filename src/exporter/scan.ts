import { TelemetryError } from "../errors/index.js";
import { type TelemetryEvent, timestampSortKey } from "../schema/index.js";
import type { LineOutcome } from "./classify-line.js";
import { type Diagnostic, DiagnosticLog } from "./diagnostics.js";
import { compileFilters, hasFilters } from "./filters.js";
import { inspectFile, readFileLines } from "./read-file.js";
import { DEFAULT_INPUTS, DEFAULT_MAX_LINE_BYTES, type ReadOptions } from "./read-options.js";
import type { FileInventory } from "./report-schema.js";
import { resolveInputs } from "./resolve-inputs.js";

/** Receives every valid event that passes the filters, in input order. */
export interface EventVisitor {
  event(event: TelemetryEvent): void;
  /** Called between chunks: the place to write buffered output, with backpressure. */
  drain?(): Promise<void> | void;
}

/** What a scan saw: per-file inventory, missing inputs, totals and diagnostics. */
export interface ScanResult {
  readonly inputs: readonly string[];
  readonly files: readonly FileInventory[];
  readonly missing: readonly string[];
  readonly totals: {
    readonly files: number;
    readonly lines: number;
    readonly valid: number;
    readonly invalid: number;
    readonly blank: number;
    readonly warnings: number;
    readonly filtered: number;
  };
  readonly filtered: boolean;
  readonly diagnostics: DiagnosticLog;
}

type MutableInventory = { -readonly [K in keyof FileInventory]: FileInventory[K] };

function newInventory(path: string, bytes: number): MutableInventory {
  return {
    path,
    bytes,
    lines: 0,
    valid: 0,
    invalid: 0,
    blank: 0,
    filtered: 0,
    warnings: 0,
    first_timestamp: null,
    last_timestamp: null,
  };
}

/**
 * Reads every input once, streaming: validates each line, reports diagnostics, and passes the
 * valid events that pass the filters to the visitors. Memory does not grow with input size.
 */
export async function scanEvents(
  options: ReadOptions,
  visitors: readonly EventVisitor[],
): Promise<ScanResult> {
  const inputs = options.inputs?.length ? options.inputs : DEFAULT_INPUTS;
  const strict = options.strict ?? false;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    throw new TelemetryError("usage", "--max-line-bytes must be a positive integer");
  }
  const keep = compileFilters(options.filters);
  const log = new DiagnosticLog(strict, options.onDiagnostic);
  const { files, missing } = resolveInputs(inputs);
  for (const path of missing) {
    if (strict) throw new TelemetryError("input_error", `input not found: ${path} (--strict)`);
    log.add({
      file: path,
      line: 0,
      code: "missing_input",
      severity: "warning",
      message: "input does not exist",
    });
  }
  const sizes = files.map((path) => inspectFile(path));
  const totalBytes = sizes.reduce((sum, s) => sum + (s.ok ? s.bytes : 0), 0);
  const inventories: FileInventory[] = [];
  let bytesBefore = 0;
  let events = 0;
  let lines = 0;
  const drainers = visitors.filter((v) => v.drain !== undefined);

  for (const [index, path] of files.entries()) {
    const size = sizes[index];
    const inv = newInventory(path, size?.ok ? size.bytes : 0);
    inventories.push(inv);
    if (size === undefined || !size.ok) {
      inv.error = `${path} ${size?.ok === false ? size.message : "cannot be read"}`;
      addFileError(log, strict, {
        file: path,
        line: 0,
        code: "unreadable_file",
        severity: "error",
        message: inv.error,
      });
      continue;
    }
    let firstKey = "";
    let lastKey = "";
    const onLine = (outcome: LineOutcome, line: number): void => {
      inv.lines++;
      lines++;
      if (outcome.kind === "blank") {
        inv.blank++;
        return;
      }
      if (outcome.kind === "invalid") {
        inv.invalid++;
        const { code, message, path: where, excerpt } = outcome;
        const base = { file: path, line, code, severity: "error", message, excerpt } as const;
        log.add(where === undefined ? base : { ...base, path: where });
        return;
      }
      const event = outcome.event;
      for (const warning of outcome.warnings) {
        inv.warnings++;
        log.add({
          file: path,
          line,
          code: warning.code,
          severity: "warning",
          message: warning.message,
          path: warning.path,
        });
      }
      if (keep !== undefined && !keep(event)) {
        inv.filtered++;
        return;
      }
      inv.valid++;
      events++;
      const key = timestampSortKey(event.timestamp);
      if (firstKey === "" || key < firstKey) {
        firstKey = key;
        inv.first_timestamp = event.timestamp;
      }
      if (key > lastKey) {
        lastKey = key;
        inv.last_timestamp = event.timestamp;
      }
      for (const visitor of visitors) visitor.event(event);
    };
    const end = await readFileLines(path, maxLineBytes, {
      line: onLine,
      chunkDone: async (bytesRead) => {
        for (const visitor of drainers) await visitor.drain?.();
        options.onProgress?.({ bytesRead: bytesBefore + bytesRead, totalBytes, lines, events });
      },
    });
    if (!end.ok) {
      inv.error = end.message;
      addFileError(log, strict, {
        file: path,
        line: end.lines + 1,
        code: end.code,
        severity: "error",
        message: end.message,
      });
    }
    bytesBefore += inv.bytes;
    if (inv.lines !== inv.valid + inv.invalid + inv.blank + inv.filtered) {
      throw new TelemetryError(
        "inconsistent_counts",
        `${path}: ${inv.lines} lines but ${inv.valid} valid + ${inv.invalid} invalid + ${inv.blank} blank + ${inv.filtered} filtered`,
      );
    }
  }
  for (const visitor of drainers) await visitor.drain?.();
  return {
    inputs,
    files: inventories,
    missing,
    totals: sumTotals(inventories),
    filtered: hasFilters(options.filters),
    diagnostics: log,
  };
}

// An unreadable file is an input problem, not an invalid record: under --strict it is an I/O error.
function addFileError(log: DiagnosticLog, strict: boolean, diagnostic: Diagnostic): void {
  if (strict && diagnostic.code === "unreadable_file") {
    throw new TelemetryError("input_error", `${diagnostic.file}: ${diagnostic.message} (--strict)`);
  }
  log.add(diagnostic);
}

function sumTotals(files: readonly FileInventory[]): ScanResult["totals"] {
  const totals = {
    files: files.length,
    lines: 0,
    valid: 0,
    invalid: 0,
    blank: 0,
    warnings: 0,
    filtered: 0,
  };
  for (const f of files) {
    totals.lines += f.lines;
    totals.valid += f.valid;
    totals.invalid += f.invalid;
    totals.blank += f.blank;
    totals.warnings += f.warnings;
    totals.filtered += f.filtered;
  }
  return totals;
}
