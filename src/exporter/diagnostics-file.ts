import type { Diagnostic } from "./diagnostics.js";
import { prepareOutput } from "./output-guard.js";
import { AtomicFileSink } from "./output-sink.js";
import type { ReadOptions } from "./read-options.js";
import { type EventVisitor, type ScanResult, scanEvents } from "./scan.js";

const BUFFER_CHARS = 256 * 1024;

/** Writes every diagnostic as one JSON line to a file, atomically, with bounded buffering. */
class DiagnosticsFile implements EventVisitor {
  private buffer = "";

  constructor(private readonly sink: AtomicFileSink) {}

  add(diagnostic: Diagnostic): void {
    this.buffer += `${JSON.stringify(diagnostic)}\n`;
  }

  event(): void {}

  async drain(): Promise<void> {
    if (this.buffer.length < BUFFER_CHARS) return;
    const text = this.buffer;
    this.buffer = "";
    await this.sink.write(text);
  }

  async finish(): Promise<void> {
    await this.sink.write(this.buffer);
    this.buffer = "";
    await this.sink.commit();
  }
}

/** Read options plus an optional file receiving every diagnostic as JSON Lines. */
export interface ScanOptions extends ReadOptions {
  /** Also write every diagnostic as JSON Lines to this file (atomically). Default: none. */
  readonly diagnosticsFile?: string | undefined;
}

/**
 * {@link scanEvents}, also writing every diagnostic to `options.diagnosticsFile` when given.
 * The diagnostics file is committed only when the scan completes.
 */
export async function scanWithDiagnostics(
  options: ScanOptions,
  visitors: readonly EventVisitor[],
): Promise<ScanResult> {
  const path = options.diagnosticsFile;
  if (path === undefined) return scanEvents(options, visitors);
  prepareOutput(path, options.inputs);
  const sink = await AtomicFileSink.create(path);
  const file = new DiagnosticsFile(sink);
  const callback = options.onDiagnostic;
  try {
    const onDiagnostic = (d: Diagnostic) => {
      file.add(d);
      callback?.(d);
    };
    const scan = await scanEvents({ ...options, onDiagnostic }, [...visitors, file]);
    await file.finish();
    return scan;
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
