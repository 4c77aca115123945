import type { ScanOptions, ScanResult } from "../contracts.js";
import { fanOut, type ResultConsumer } from "../engine/fan-out.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { prepareOutput } from "../plan/output-checks.js";
import type { ResumeOptions } from "../plan/resume.js";
import { DiagnosticsFile } from "./diagnostics-file.js";
import { AtomicFileSink } from "./output-sink.js";

/**
 * One pass over the inputs feeding every consumer, also writing every diagnostic to
 * `options.diagnosticsFile` when given (committed only when the scan completes).
 */
export async function readIntoSinks(
  options: ScanOptions,
  consumers: readonly ResultConsumer[],
  resume?: ResumeOptions,
): Promise<ScanResult> {
  const path = options.diagnosticsFile;
  if (path === undefined) return fanOut(options, consumers, resume);
  prepareOutput(path, options.inputs);
  const file = new DiagnosticsFile(await AtomicFileSink.create(path));
  const callback = options.onDiagnostic;
  try {
    const onDiagnostic = (d: Diagnostic) => {
      file.add(d);
      callback?.(d);
    };
    const scan = await fanOut({ ...options, onDiagnostic }, consumers, resume, () => file.drain());
    await file.finish();
    return scan;
  } catch (error) {
    await file.abort();
    throw error;
  }
}
