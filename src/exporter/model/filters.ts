import { TelemetryError } from "../../errors/index.js";
import type { TelemetryEvent } from "../../schema/index.js";
import { compareTimestamps, normalizeTimestamp } from "../../schema/timestamp.js";

/** Which valid events to keep. Every filter is optional; all given must hold. */
export interface EventFilters {
  /** Keep events of these channels. */
  readonly channels?: readonly string[] | undefined;
  /** Keep events with these names. */
  readonly events?: readonly string[] | undefined;
  /** Keep events at or after this instant (ISO 8601; a bare date means its start, UTC). */
  readonly since?: string | undefined;
  /** Keep events before this instant (half-open). */
  readonly until?: string | undefined;
}

/** A compiled filter: `undefined` when no filter is set. */
export type EventPredicate = (event: TelemetryEvent) => boolean;

function bound(name: string, value: string): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const canonical = normalizeTimestamp(text);
  if (canonical === undefined) {
    throw new TelemetryError(
      "usage",
      `\`${name}\` ${JSON.stringify(value)} is not an ISO 8601 date or date-time`,
      { path: ["filters", name] },
    );
  }
  return canonical;
}

/** True when at least one filter is set. */
export function hasFilters(filters: EventFilters | undefined): boolean {
  if (filters === undefined) return false;
  return (
    (filters.channels?.length ?? 0) > 0 ||
    (filters.events?.length ?? 0) > 0 ||
    filters.since !== undefined ||
    filters.until !== undefined
  );
}

/** Compiles filters to a predicate; throws `usage` for an unreadable `since`/`until`. */
export function compileFilters(filters: EventFilters | undefined): EventPredicate | undefined {
  if (filters === undefined || !hasFilters(filters)) return undefined;
  const channels = filters.channels?.length ? new Set(filters.channels) : undefined;
  const events = filters.events?.length ? new Set(filters.events) : undefined;
  const since = filters.since === undefined ? undefined : bound("since", filters.since);
  const until = filters.until === undefined ? undefined : bound("until", filters.until);
  return (event) => {
    if (channels !== undefined && !channels.has(event.channel)) return false;
    if (events !== undefined && !events.has(event.event)) return false;
    if (since === undefined && until === undefined) return true;
    const ts = event.timestamp;
    return (
      (since === undefined || compareTimestamps(ts, since) >= 0) &&
      (until === undefined || compareTimestamps(ts, until) < 0)
    );
  };
}
