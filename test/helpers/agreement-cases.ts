// The named lines of test/schema/schema-agreement.test.ts, with the verdict every side must
// give: each line on which two sides once disagreed, and its neighbours.

export const CORE = {
  schema_version: "telemetry_event_v1",
  channel: "user",
  event: "Click",
  timestamp: "2025-03-01T10:00:00.000Z",
  payload: { a: 1 },
};

/** A line: the core event with fields replaced (given as raw JSON text). */
function line(raw: Partial<Record<keyof typeof CORE, string>>): string {
  const fields = Object.entries(CORE).map(
    ([key, value]) => `"${key}":${raw[key as keyof typeof CORE] ?? JSON.stringify(value)}`,
  );
  return `{${fields.join(",")}}`;
}
const ts = (text: string) => line({ timestamp: JSON.stringify(text) });

export interface Case {
  readonly name: string;
  readonly line: string;
  readonly valid: boolean;
}

// The verdict every side gives (docs/schema.md decides).
export const AGREED: readonly Case[] = [
  { name: "canonical", line: line({}), valid: true },
  { name: "Z", line: ts("2025-03-01T10:00:00Z"), valid: true },
  { name: "z", line: ts("2025-03-01T10:00:00z"), valid: true },
  { name: "+00:00", line: ts("2025-03-01T10:00:00+00:00"), valid: true },
  { name: "+0000", line: ts("2025-03-01T10:00:00+0000"), valid: true },
  { name: "+14", line: ts("2025-03-01T10:00:00+14"), valid: true },
  { name: "no zone", line: ts("2025-03-01T10:00:00"), valid: true },
  { name: "t", line: ts("2025-03-01t10:00:00Z"), valid: true },
  { name: "space", line: ts("2025-03-01 10:00:00Z"), valid: true },
  { name: "no seconds", line: ts("2025-03-01T10:00Z"), valid: true },
  { name: "comma fraction", line: ts("2025-03-01T10:00:00,5Z"), valid: true },
  { name: "9 fraction digits", line: ts("2025-03-01T10:00:00.123456789Z"), valid: true },
  { name: "10 fraction digits", line: ts("2025-03-01T10:00:00.1234567890Z"), valid: false },
  { name: "empty fraction", line: ts("2025-03-01T10:00:00.Z"), valid: false },
  { name: "leap day", line: ts("2024-02-29T10:00:00Z"), valid: true },
  { name: "leap day of 2000", line: ts("2000-02-29T10:00:00Z"), valid: true },
  { name: "leap day of year 0", line: ts("0000-02-29T10:00:00Z"), valid: true },
  { name: "year 0000", line: ts("0000-01-01T00:00:00Z"), valid: true },
  { name: "year 9999", line: ts("9999-12-31T23:59:59.999999999Z"), valid: true },
  { name: "five-digit year", line: ts("10000-01-01T00:00:00Z"), valid: false },
  { name: "offset +23:59", line: ts("2025-03-01T10:00:00+23:59"), valid: true },
  { name: "31 days in May", line: ts("2025-05-31T10:00:00Z"), valid: true },
  // Found by this test: the JSON Schema took every one of these, the exporter none.
  { name: "leap second :60", line: ts("2025-06-30T23:59:60Z"), valid: false },
  { name: "24:00", line: ts("2025-03-01T24:00:00Z"), valid: false },
  { name: "minute 60", line: ts("2025-03-01T10:60:00Z"), valid: false },
  { name: "31 April", line: ts("2025-04-31T10:00:00Z"), valid: false },
  { name: "31 November", line: ts("2025-11-31T10:00:00Z"), valid: false },
  { name: "30 February", line: ts("2024-02-30T10:00:00Z"), valid: false },
  { name: "29 February 2025", line: ts("2025-02-29T10:00:00Z"), valid: false },
  { name: "29 February 1900", line: ts("1900-02-29T10:00:00Z"), valid: false },
  { name: "month 13", line: ts("2025-13-01T10:00:00Z"), valid: false },
  { name: "month 00", line: ts("2025-00-01T10:00:00Z"), valid: false },
  { name: "day 00", line: ts("2025-03-00T10:00:00Z"), valid: false },
  { name: "day 32", line: ts("2025-03-32T10:00:00Z"), valid: false },
  { name: "offset +24:00", line: ts("2025-03-01T10:00:00+24:00"), valid: false },
  { name: "offset +23:60", line: ts("2025-03-01T10:00:00+23:60"), valid: false },
  { name: "offset -9960", line: ts("2025-03-01T10:00:00-9960"), valid: false },
  // Found by this test: Python's and Java's `$` match before a final line terminator, and
  // Python's `\d` matches any Unicode digit, so their validators took these.
  { name: "timestamp + LF", line: ts("2025-03-01T10:00:00Z\n"), valid: false },
  { name: "timestamp + CR", line: ts("2025-03-01T10:00:00Z\r"), valid: false },
  { name: "timestamp + U+2028", line: ts("2025-03-01T10:00:00Z\u2028"), valid: false },
  { name: "Arabic-Indic digits", line: ts("٢٠٢٥-03-01T10:00:00Z"), valid: false },
  { name: "fullwidth digits", line: ts("２０２５-03-01T10:00:00Z"), valid: false },
  { name: "channel + LF", line: line({ channel: '"user\\n"' }), valid: false },
  { name: "channel + CR", line: line({ channel: '"user\\r"' }), valid: false },
  { name: "channel + NEL", line: line({ channel: '"user\\u0085"' }), valid: false },
  { name: "channel + U+2028", line: line({ channel: '"user\\u2028"' }), valid: false },
  { name: "event + LF", line: line({ event: '"Click\\n"' }), valid: false },
  { name: "event + CR", line: line({ event: '"Click\\r"' }), valid: false },
  { name: "event + NEL", line: line({ event: '"Click\\u0085"' }), valid: false },
  {
    name: "event + U+2028 (not a control character)",
    line: line({ event: '"Click\\u2028"' }),
    valid: true,
  },
  // Channels and event names.
  { name: "channel of 64", line: line({ channel: JSON.stringify("a".repeat(64)) }), valid: true },
  { name: "channel of 65", line: line({ channel: JSON.stringify("a".repeat(65)) }), valid: false },
  { name: "channel upper case", line: line({ channel: '"User"' }), valid: false },
  { name: "channel path", line: line({ channel: '"../x"' }), valid: false },
  { name: "channel non-ASCII", line: line({ channel: '"é"' }), valid: false },
  { name: "channel empty", line: line({ channel: '""' }), valid: false },
  {
    name: "event of 200 emoji",
    line: line({ event: JSON.stringify("😀".repeat(200)) }),
    valid: true,
  },
  {
    name: "event of 201 emoji",
    line: line({ event: JSON.stringify("😀".repeat(201)) }),
    valid: false,
  },
  { name: "event of 200 é", line: line({ event: JSON.stringify("é".repeat(200)) }), valid: true },
  {
    name: "event of 201 chars",
    line: line({ event: JSON.stringify("e".repeat(201)) }),
    valid: false,
  },
  { name: "event empty", line: line({ event: '""' }), valid: false },
  { name: "event NUL", line: line({ event: '"a\\u0000b"' }), valid: false },
  { name: "event DEL", line: line({ event: '"a\\u007fb"' }), valid: false },
  { name: "event C1", line: line({ event: '"a\\u009fb"' }), valid: false },
  { name: "event NBSP", line: line({ event: '"a\\u00a0b"' }), valid: true },
  { name: "event path-like", line: line({ event: '"a/../b"' }), valid: true },
  { name: "event escaped pair", line: line({ event: '"\\ud83d\\ude00"' }), valid: true },
  // Versions, extra fields, payloads, duplicate keys, JSON forms.
  { name: "version v2", line: line({ schema_version: '"telemetry_event_v2"' }), valid: false },
  { name: "version number", line: line({ schema_version: "1" }), valid: false },
  { name: "payload null", line: line({ payload: "null" }), valid: false },
  { name: "payload array", line: line({ payload: "[]" }), valid: false },
  { name: "payload string", line: line({ payload: '"x"' }), valid: false },
  { name: "payload empty", line: line({ payload: "{}" }), valid: true },
  {
    name: "payload huge integer",
    line: line({ payload: '{"a":123456789012345678901234567890}' }),
    valid: true,
  },
  { name: "payload 1e-400", line: line({ payload: '{"a":1e-400}' }), valid: true },
  // Found by this test: the JSON Schema's numbers had no bounds; these read as infinity.
  { name: "payload 1e400", line: line({ payload: '{"a":1e400}' }), valid: false },
  { name: "payload -1e400", line: line({ payload: '{"a":-1e400}' }), valid: false },
  {
    name: "payload 1.8e308 in an array",
    line: line({ payload: '{"a":[1,1.8e308]}' }),
    valid: false,
  },
  {
    name: "payload largest double",
    line: line({ payload: '{"a":1.7976931348623157e308}' }),
    valid: true,
  },
  // Extra fields are kept as they are: no bound applies to them, on any side.
  { name: "extra field 1e400", line: `${line({}).slice(0, -1)},"x":1e400}`, valid: true },
  { name: "payload __proto__", line: line({ payload: '{"__proto__":{"x":1}}' }), valid: true },
  {
    name: "payload depth 256",
    line: line({ payload: `{"a":${"[".repeat(255)}${"]".repeat(255)}}` }),
    valid: true,
  },
  { name: "extra field", line: `${line({}).slice(0, -1)},"extra":{"x":[1]}}`, valid: true },
  { name: "missing payload", line: line({}).replace(/,"payload":\{"a":1\}/, ""), valid: false },
  {
    name: "duplicate channel, last good",
    line: `${line({ channel: '"../x"' }).slice(0, -1)},"channel":"user"}`,
    valid: true,
  },
  {
    name: "duplicate channel, last bad",
    line: `${line({}).slice(0, -1)},"channel":"../x"}`,
    valid: false,
  },
  {
    name: "duplicate payload, last good",
    line: `${line({ payload: "[]" }).slice(0, -1)},"payload":{}}`,
    valid: true,
  },
  {
    name: "escaped field text",
    line: line({ channel: '"\\u0075ser"', timestamp: '"2025-03-01T10:00:00.000\\u005a"' }),
    valid: true,
  },
  {
    name: "JSON whitespace",
    line: ` \t{ "schema_version" :"telemetry_event_v1" ,\n"channel":"user","event":"Click","timestamp":"2025-03-01T10:00:00Z","payload":{ } }\t `.replace(
      "\n",
      "\r",
    ),
    valid: true,
  },
  {
    name: "keys in another order",
    line: `{"payload":{},"timestamp":"2025-03-01T10:00:00Z","event":"Click","channel":"user","schema_version":"telemetry_event_v1"}`,
    valid: true,
  },
];

// What a JSON Schema cannot say: the schema takes these, every other side refuses them.
export const SCHEMA_CANNOT_SAY: readonly Case[] = [
  { name: "lone surrogate in event", line: line({ event: '"a\\ud800"' }), valid: false },
  {
    name: "lone surrogate in a payload key",
    line: line({ payload: '{"\\udc00":1}' }),
    valid: false,
  },
  {
    name: "lone surrogate in a payload string",
    line: line({ payload: '{"a":"\\ud800"}' }),
    valid: false,
  },
  {
    name: "lone surrogate in an extra field",
    line: `${line({}).slice(0, -1)},"x":"\\ud800"}`,
    valid: false,
  },
  {
    name: "payload depth 257",
    line: line({ payload: `{"a":${"[".repeat(256)}${"]".repeat(256)}}` }),
    valid: false,
  },
  { name: "year 0000 before UTC", line: ts("0000-01-01T00:30:00+01:00"), valid: false },
  { name: "year 10000 in UTC", line: ts("9999-12-31T23:30:00-01:00"), valid: false },
];
