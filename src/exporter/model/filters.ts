import { TelemetryError } from "../../errors/index.js";
import { CHANNEL_PATTERN, EVENT_NAME_MAX_LENGTH } from "../../schema/constants.js";
import type { TelemetryEvent } from "../../schema/index.js";
import { compareTimestamps, normalizeTimestamp } from "../../schema/timestamp.js";
import { timestampStringProblem } from "../../schema/timestamp-problem.js";

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
    // Which rule it breaks, when it has the shape of one (an impossible day, hour or offset).
    const problem = timestampStringProblem(text);
    const why = problem?.rule === "not_a_date_time" ? "" : ` (${problem?.message})`;
    throw new TelemetryError(
      "usage",
      `\`${name}\` ${JSON.stringify(value)} is not an ISO 8601 date or date-time${why}`,
      { path: ["filters", name] },
    );
  }
  return canonical;
}

function neverMatches(name: string, value: string, why: string): TelemetryError {
  return new TelemetryError(
    "usage",
    `\`${name}\` ${JSON.stringify(value)} can never match: ${why}`,
    { path: ["filters", name] },
  );
}

// A filter value no valid event can carry would silently select nothing (a typo such as `User`
// passing CI), so it is refused with the rule it breaks.
function checkNames(filters: EventFilters): void {
  for (const channel of filters.channels ?? []) {
    if (!CHANNEL_PATTERN.test(channel)) {
      throw neverMatches("channels", channel, `a channel must match ${CHANNEL_PATTERN.source}`);
    }
  }
  for (const event of filters.events ?? []) {
    if (event === "") throw neverMatches("events", event, "an event name is never empty");
    if ([...event].length > EVENT_NAME_MAX_LENGTH) {
      throw neverMatches(
        "events",
        event.slice(0, 40),
        `an event name has at most ${EVENT_NAME_MAX_LENGTH} characters`,
      );
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the schema's own rule.
    if (/[\x00-\x1f\x7f-\x9f]/.test(event)) {
      throw neverMatches("events", event, "an event name has no control characters");
    }
  }
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

/**
 * Compiles filters to a predicate; throws `usage` for an unreadable `since`/`until` and for
 * filters no event can match (a channel or event name the schema refuses, `since` not before
 * `until`).
 */
export function compileFilters(filters: EventFilters | undefined): EventPredicate | undefined {
  if (filters === undefined || !hasFilters(filters)) return undefined;
  checkNames(filters);
  const channels = filters.channels?.length ? new Set(filters.channels) : undefined;
  const events = filters.events?.length ? new Set(filters.events) : undefined;
  const since = filters.since === undefined ? undefined : bound("since", filters.since);
  const until = filters.until === undefined ? undefined : bound("until", filters.until);
  if (since !== undefined && until !== undefined && compareTimestamps(since, until) >= 0) {
    throw new TelemetryError(
      "usage",
      `\`since\` ${JSON.stringify(filters.since)} is not before \`until\` ${JSON.stringify(filters.until)}: no event can match (\`until\` is exclusive)`,
      { path: ["filters", "since"] },
    );
  }
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
