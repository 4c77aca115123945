import type { Diagnostic } from "./diagnostics.js";
import { DiagnosticsFile } from "./diagnostics-file.js";
import type { SegmentResult, Want } from "./engine/segment.js";
import { prepareOutput } from "./output-guard.js";
import type { ReadOptions } from "./read-options.js";
import { type EngineTuning, type ResumeOptions, runScan, type ScanResult } from "./scan.js";
import { openOutputSink } from "./sinks/open-output-sink.js";

/** Read options plus an optional file receiving every diagnostic as JSON Lines. */
export interface ScanOptions extends ReadOptions, EngineTuning {
  /** Also write every diagnostic as JSON Lines to this file (atomically). Default: none. */
  readonly diagnosticsFile?: string | undefined;
}

/** Something that consumes segment results in order. */
export interface ResultConsumer {
  readonly want: Partial<Want>;
  accept(result: SegmentResult): Promise<void> | void;
}

/**
 * One pass over the inputs feeding every consumer, also writing every diagnostic to
 * `options.diagnosticsFile` when given (committed only when the scan completes).
 */
export async function scanInto(
  options: ScanOptions,
  consumers: readonly ResultConsumer[],
  resume?: ResumeOptions,
): Promise<ScanResult> {
  const want: Want = {
    counts: consumers.some((c) => c.want.counts === true),
    text: consumers.find((c) => c.want.text !== undefined)?.want.text,
    columns: consumers.some((c) => c.want.columns === true),
    allDiagnostics: false,
  };
  const accept = async (result: SegmentResult) => {
    for (const consumer of consumers) await consumer.accept(result);
  };
  const path = options.diagnosticsFile;
  if (path === undefined) return runScan(options, want, accept, [], resume);
  prepareOutput(path, options.inputs);
  const file = new DiagnosticsFile(await openOutputSink(path));
  const callback = options.onDiagnostic;
  try {
    const onDiagnostic = (d: Diagnostic) => {
      file.add(d);
      callback?.(d);
    };
    const scan = await runScan(
      { ...options, onDiagnostic },
      want,
      async (result) => {
        await accept(result);
        await file.drain();
      },
      [],
      resume,
    );
    await file.finish();
    return scan;
  } catch (error) {
    await file.abort();
    throw error;
  }
}
