import type { ScanResult } from "../contracts.js";
import type { ReadPlan } from "../plan/run-plan.js";
import type { ScanPlan } from "../plan/scan-plan.js";
import { runScan } from "./run-scan.js";
import type { SegmentResult, Want } from "./segment.js";

/** Something that consumes segment results in order. */
export interface ResultConsumer {
  readonly want: Partial<Want>;
  accept(result: SegmentResult): Promise<void> | void;
}

/** One pass over the inputs, asking for what the consumers want and feeding each result to all. */
export function fanOut(
  read: ReadPlan,
  consumers: readonly ResultConsumer[],
  plan?: ScanPlan,
  afterEach?: () => Promise<void>,
): Promise<ScanResult> {
  const want: Want = {
    counts: consumers.some((c) => c.want.counts === true),
    text: consumers.find((c) => c.want.text !== undefined)?.want.text,
    columns: consumers.some((c) => c.want.columns === true),
    allDiagnostics: false,
  };
  const accept = async (result: SegmentResult) => {
    for (const consumer of consumers) await consumer.accept(result);
    await afterEach?.();
  };
  return runScan(read, want, accept, [], plan);
}
