import { CanonicalScanner } from "./canonical-scanner.js";

/** The fields of a line that is a valid event in canonical form, found without parsing it. */
export interface CanonicalLine {
  readonly channel: string;
  readonly event: string;
  readonly timestamp: string;
  /** Where the payload's JSON text starts and ends (exclusive) in the line. */
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

/**
 * The fields of `line` when it is exactly what `JSON.stringify` writes for a valid
 * `telemetry_event_v1` event in canonical form (as the Tracker writes it), else `undefined`:
 * then the line must be parsed, and may still be valid. `line` must hold no lone surrogates.
 * (The exporter scans the bytes it reads with {@link CanonicalScanner}; this is the same test
 * for a string.)
 */
export function scanCanonicalLine(line: string): CanonicalLine | undefined {
  const bytes = Buffer.from(line, "utf8");
  const scanner = new CanonicalScanner();
  const head = scanner.scan(bytes, 0, bytes.length);
  if (head === undefined) return undefined;
  // Only the event name can hold non-ASCII text before the payload.
  const shift = Buffer.byteLength(head.event) - head.event.length;
  const at = scanner.timestampStart - shift;
  const timestamp = line.slice(at, line.indexOf('"', at));
  return {
    channel: head.channel,
    event: head.event,
    timestamp,
    payloadStart: scanner.payloadStart - shift,
    payloadEnd: line.length - 1,
  };
}
