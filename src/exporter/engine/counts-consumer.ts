import { EventCounts } from "../model/event-counts.js";
import type { ResultConsumer } from "./fan-out.js";
import type { SegmentResult } from "./segment.js";

/** Collects every segment's counts into one {@link EventCounts}. */
export class CountsConsumer implements ResultConsumer {
  readonly want = { counts: true };
  readonly counts = new EventCounts();

  accept(result: SegmentResult): void {
    if (result.counts !== undefined) this.counts.merge(result.counts, result.versions ?? []);
  }
}
