import { type TelemetryEvent, utcDay } from "../schema/index.js";
import type { EventVisitor } from "./scan.js";

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function incrementNested(
  map: Map<string, Map<string, number>>,
  outer: string,
  inner: string,
): void {
  let counts = map.get(outer);
  if (counts === undefined) {
    counts = new Map();
    map.set(outer, counts);
  }
  increment(counts, inner);
}

/** Counts events per channel, event name, UTC day, their pairs, and schema version. */
export class Aggregator implements EventVisitor {
  readonly byChannel = new Map<string, number>();
  readonly byEvent = new Map<string, number>();
  readonly byDay = new Map<string, number>();
  readonly byChannelEvent = new Map<string, Map<string, number>>();
  readonly byChannelDay = new Map<string, Map<string, number>>();
  readonly schemaVersions = new Map<string, number>();

  event(event: TelemetryEvent): void {
    const day = utcDay(event.timestamp);
    increment(this.byChannel, event.channel);
    increment(this.byEvent, event.event);
    increment(this.byDay, day);
    incrementNested(this.byChannelEvent, event.channel, event.event);
    incrementNested(this.byChannelDay, event.channel, day);
    increment(this.schemaVersions, event.schema_version);
  }
}
