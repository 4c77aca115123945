import type { ScanResult } from "../contracts.js";
import { fanOut, type ResultConsumer } from "../engine/fan-out.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { RunPlan } from "../plan/run-plan.js";
import type { ScanPlan } from "../plan/scan-plan.js";
import { DiagnosticsFile } from "./diagnostics-file.js";
import { openOutputSink } from "./open-output-sink.js";

/**
 * One pass over the run's inputs feeding every consumer, also writing every diagnostic to the
 * plan's diagnostics file when it has one (committed only when the scan completes).
 */
export async function readIntoSinks(
  run: RunPlan,
  consumers: readonly ResultConsumer[],
  scan?: ScanPlan,
): Promise<ScanResult> {
  const path = run.diagnosticsFile;
  if (path === undefined) return fanOut(run.read, consumers, scan);
  const file = new DiagnosticsFile(await openOutputSink(path));
  const callback = run.read.onDiagnostic;
  try {
    const onDiagnostic = (d: Diagnostic) => {
      file.add(d);
      callback?.(d);
    };
    const read = { ...run.read, onDiagnostic };
    const result = await fanOut(read, consumers, scan, () => file.drain());
    await file.finish();
    return result;
  } catch (error) {
    await file.abort();
    throw error;
  }
}
