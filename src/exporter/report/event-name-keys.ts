import { setOwn } from "../../schema/own-property.js";
import type { AggregateReport } from "../model/report-schema.js";

const PROTO = "__proto__";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

// False when the count is not one (zod never looked at it).
function restore(raw: unknown, parsed: Record<string, number>): boolean {
  if (!isObject(raw) || !Object.hasOwn(raw, PROTO) || Object.hasOwn(parsed, PROTO)) return true;
  const value = raw[PROTO];
  if (!isCount(value)) return false;
  setOwn(parsed, PROTO, value);
  return true;
}

/**
 * Puts back the counts of an event named `__proto__`, which zod's records drop on parse (to
 * keep the prototype safe) although they are data: a report read back would otherwise count
 * fewer event names than the one written. Event names are the only keys of a report that can
 * be `__proto__` (channels, days, codes and versions cannot). Returns the path of a
 * `__proto__` entry that is not a count, as a zod issue's path, or undefined.
 */
export function restoreEventNameKeys(raw: unknown, report: AggregateReport): string[] | undefined {
  if (!isObject(raw)) return undefined;
  if (!restore(raw.by_event, report.by_event)) return ["by_event", PROTO];
  const byChannel = raw.by_channel_event;
  if (!isObject(byChannel)) return undefined;
  for (const [channel, events] of Object.entries(report.by_channel_event)) {
    if (!restore(byChannel[channel], events)) return ["by_channel_event", channel, PROTO];
  }
  return undefined;
}
