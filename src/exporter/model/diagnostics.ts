import { TelemetryError } from "../../errors/index.js";
import type { ReportDiagnostic } from "./report-schema.js";

/** Codes of diagnostics that make a line (or a file) invalid. Stable: documented in the README. */
export type ErrorDiagnosticCode =
  | "invalid_json"
  | "schema_violation"
  | "unsupported_schema_version"
  | "invalid_timestamp"
  | "truncated_line"
  | "line_too_long"
  | "invalid_utf8"
  | "unreadable_file"
  | "invalid_gzip";

/** Codes of diagnostics that are only warnings. */
export type WarningDiagnosticCode =
  | "timestamp_without_zone"
  | "missing_input"
  | "pending_line"
  | "vanished_file";

/** Every diagnostic code. */
export type DiagnosticCode = ErrorDiagnosticCode | WarningDiagnosticCode;

const WARNING_CODES: ReadonlySet<DiagnosticCode> = new Set<WarningDiagnosticCode>([
  "timestamp_without_zone",
  "missing_input",
  "pending_line",
  "vanished_file",
]);

/** Whether a code is an error (the line or file is invalid) or only a warning. */
export function severityOf(code: DiagnosticCode): "error" | "warning" {
  return WARNING_CODES.has(code) ? "warning" : "error";
}

/** One problem found while reading inputs, as data. */
export interface Diagnostic {
  /** The input file (or the missing input path). */
  readonly file: string;
  /** 1-based line number; 0 for problems with the whole file. */
  readonly line: number;
  readonly code: DiagnosticCode;
  readonly severity: "error" | "warning";
  readonly message: string;
  /** Where in the record, for schema problems. */
  readonly path?: readonly (string | number)[];
  /** The start of the offending line. */
  readonly excerpt?: string;
}

/** How many diagnostics the report keeps as samples. */
export const SAMPLE_DIAGNOSTICS = 20;

/** How many diagnostics of each code the report keeps as examples. */
export const EXAMPLES_PER_CODE = 3;

/** Counts diagnostics by code, keeps the first few, and passes each one to an optional sink. */
export class DiagnosticLog {
  readonly byCode: Partial<Record<DiagnosticCode, number>> = {};
  readonly samples: Diagnostic[] = [];
  /** The first {@link EXAMPLES_PER_CODE} diagnostics of each code, in input order. */
  readonly examples: Partial<Record<DiagnosticCode, Diagnostic[]>> = {};
  errors = 0;
  warnings = 0;

  constructor(
    private readonly strict: boolean,
    private readonly sink: ((diagnostic: Diagnostic) => void) | undefined,
  ) {}

  /** Counts diagnostics known only by code (their details were not kept). */
  count(code: DiagnosticCode, severity: "error" | "warning", n: number): void {
    this.byCode[code] = (this.byCode[code] ?? 0) + n;
    if (severity === "error") this.errors += n;
    else this.warnings += n;
  }

  /** Keeps a diagnostic as a sample or an example if there is room, without counting it. */
  keep(diagnostic: Diagnostic): void {
    if (this.samples.length < SAMPLE_DIAGNOSTICS) this.samples.push(diagnostic);
    const examples = this.examples[diagnostic.code];
    if (examples === undefined) this.examples[diagnostic.code] = [diagnostic];
    else if (examples.length < EXAMPLES_PER_CODE) examples.push(diagnostic);
  }

  /** Every diagnostic kept (samples and examples), once each, in line order (a log of one file). */
  kept(): Diagnostic[] {
    const all = new Set<Diagnostic>(this.samples);
    for (const list of Object.values(this.examples)) for (const d of list) all.add(d);
    return [...all].sort((a, b) => a.line - b.line);
  }

  /**
   * Adds a log of later input (the next file, or the rest of this one): its counts, and its kept
   * diagnostics where there is room, as if they had been added here one by one: in line order,
   * or in the order `kept` gives them (a log of several files).
   */
  absorb(later: DiagnosticLog, kept: readonly Diagnostic[] = later.kept()): void {
    for (const d of kept) this.keep(d);
    for (const [code, n] of Object.entries(later.byCode)) {
      this.count(code as DiagnosticCode, severityOf(code as DiagnosticCode), n);
    }
  }

  /**
   * Counts what a read counted by code beyond the diagnostics it passed in detail
   * (`detailed`, per code): those were added one by one already.
   */
  countRest(
    byCode: Partial<Record<DiagnosticCode, number>>,
    detailed: Readonly<Record<string, number>>,
  ): void {
    for (const [code, n] of Object.entries(byCode)) {
      const rest = n - (detailed[code] ?? 0);
      if (rest > 0) this.count(code as DiagnosticCode, severityOf(code as DiagnosticCode), rest);
    }
  }

  /** Records a diagnostic; under strict mode an error stops the run. */
  add(diagnostic: Diagnostic): void {
    this.byCode[diagnostic.code] = (this.byCode[diagnostic.code] ?? 0) + 1;
    if (diagnostic.severity === "error") this.errors++;
    else this.warnings++;
    this.keep(diagnostic);
    this.sink?.(diagnostic);
    if (this.strict && diagnostic.severity === "error") {
      throw new TelemetryError("invalid_records", `${formatDiagnostic(diagnostic)} (\`strict\`)`);
    }
  }
}

/** `file:line: code: message`, the form diagnostics take in messages. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}` : d.file;
  return `${where}: ${d.code}: ${d.message}`;
}

/** The warning for an input that does not exist. */
export function missingInput(path: string): Diagnostic {
  return {
    file: path,
    line: 0,
    code: "missing_input",
    severity: "warning",
    message: "input does not exist",
  };
}

/** A diagnostic as plain report data. */
export function copyDiagnostic(d: Diagnostic): ReportDiagnostic {
  return { ...d, path: d.path === undefined ? undefined : [...d.path] };
}
