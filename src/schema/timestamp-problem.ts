import { daysInMonth, normalizeTimestamp, TIMESTAMP_PATTERN } from "./timestamp.js";

// Only for messages: runs after a timestamp was refused, never on the accepting path.
const PARTS = new RegExp(TIMESTAMP_PATTERN);

/** The rule a timestamp breaks (`not a date-time`, an impossible date, a year out of range). */
export type TimestampRule = "not_a_date_time" | "impossible_date" | "year_out_of_range";

/** Why a timestamp string is refused, or `undefined` when it is accepted. */
export function timestampStringProblem(
  text: string,
): { rule: TimestampRule; message: string } | undefined {
  if (normalizeTimestamp(text) !== undefined) return undefined;
  const m = PARTS.exec(text);
  if (m === null) {
    return {
      rule: "not_a_date_time",
      message: "not an ISO 8601 date-time (expected YYYY-MM-DDTHH:MM[:SS[.fff]] and a zone)",
    };
  }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((p) => Number(p ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const days = daysInMonth(year, month);
  if (days === 0) return impossible(`month ${m[2]} does not exist`);
  if (day < 1 || day > days) return impossible(`${m[1]}-${m[2]} has no day ${m[3]}`);
  if (hour > 23 || minute > 59 || second > 59)
    return impossible(`no time ${m[4]}:${m[5]}:${m[6] ?? "00"}`);
  const zone = m[8];
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(":", "");
    if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2) || 0) > 59) {
      return impossible(`no UTC offset ${zone}`);
    }
  }
  return {
    rule: "year_out_of_range",
    message: "year out of range: it must stay within 0000-9999 in UTC",
  };
}

function impossible(what: string) {
  return { rule: "impossible_date" as const, message: `impossible date-time: ${what}` };
}
