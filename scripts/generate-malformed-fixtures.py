"""Writes the malformed-input corpus in test/fixtures/malformed/ and its expected diagnostics.

Python on purpose: the corpus is produced by a different JSON implementation than the one that
reads it. Re-run after adding a case: python3 scripts/generate-malformed-fixtures.py
"""
import gzip
import json
import os

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "malformed")
MAX_LINE_BYTES = 4096


def event(ev="e", ts="2025-03-01T10:00:00.000Z", ch="user"):
    value = {"schema_version": "telemetry_event_v1", "channel": ch, "event": ev, "timestamp": ts, "payload": {}}
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


OK = event()
cases = {}


def case(name, content, diagnostics, valid, blank=0):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as handle:
        handle.write(data)
    cases[name] = {"diagnostics": [{"line": l, "code": c} for l, c in diagnostics], "valid": valid, "blank": blank}


def with_payload(text):
    return OK.replace('"payload":{}', '"payload":' + text)


os.makedirs(OUT, exist_ok=True)
case("invalid-json.jsonl", f"{OK}\n{{not json}}\n", [(2, "invalid_json")], 1)
case("trailing-comma.jsonl", OK[:-1] + ",}\n", [(1, "invalid_json")], 0)
case("single-quotes.jsonl", "{'schema_version':'telemetry_event_v1'}\n", [(1, "invalid_json")], 0)
case("json-array-line.jsonl", "[1,2,3]\n", [(1, "schema_violation")], 0)
case("json-string-line.jsonl", '"hello"\n', [(1, "schema_violation")], 0)
case("json-null-line.jsonl", "null\n", [(1, "schema_violation")], 0)
case("json-number-line.jsonl", "42\n", [(1, "schema_violation")], 0)
case("two-objects-one-line.jsonl", OK + OK + "\n", [(1, "invalid_json")], 0)
case("merged-torn-line.jsonl", OK[:50] + OK + "\n" + OK + "\n", [(1, "invalid_json")], 1)
case("missing-schema-version.jsonl", OK.replace('"schema_version":"telemetry_event_v1",', "") + "\n", [(1, "schema_violation")], 0)
case("unsupported-schema-version.jsonl", OK.replace("telemetry_event_v1", "telemetry_event_v2") + "\n", [(1, "unsupported_schema_version")], 0)
case("numeric-schema-version.jsonl", OK.replace('"telemetry_event_v1"', "1") + "\n", [(1, "unsupported_schema_version")], 0)
case("missing-channel.jsonl", OK.replace('"channel":"user",', "") + "\n", [(1, "schema_violation")], 0)
case("path-traversal-channel.jsonl", event(ch="../../etc/passwd") + "\n", [(1, "schema_violation")], 0)
case("uppercase-channel.jsonl", event(ch="User") + "\n", [(1, "schema_violation")], 0)
case("empty-event.jsonl", event(ev="") + "\n", [(1, "schema_violation")], 0)
case("long-event.jsonl", event(ev="e" * 201) + "\n", [(1, "schema_violation")], 0)
case("control-char-event.jsonl", event(ev="a\u0007b") + "\n", [(1, "schema_violation")], 0)
case("missing-timestamp.jsonl", OK.replace('"timestamp":"2025-03-01T10:00:00.000Z",', "") + "\n", [(1, "invalid_timestamp")], 0)
case("numeric-timestamp.jsonl", OK.replace('"2025-03-01T10:00:00.000Z"', "1741000000") + "\n", [(1, "invalid_timestamp")], 0)
case("impossible-date.jsonl", event(ts="2025-02-30T10:00:00Z") + "\n", [(1, "invalid_timestamp")], 0)
case("date-only-timestamp.jsonl", event(ts="2025-03-01") + "\n", [(1, "invalid_timestamp")], 0)
case("garbage-timestamp.jsonl", event(ts="yesterday at noon") + "\n", [(1, "invalid_timestamp")], 0)
case("zoneless-timestamp.jsonl", event(ts="2025-03-01T10:00:00") + "\n", [(1, "timestamp_without_zone")], 1)
case("array-payload.jsonl", with_payload("[]") + "\n", [(1, "schema_violation")], 0)
case("null-payload.jsonl", with_payload("null") + "\n", [(1, "schema_violation")], 0)
case("string-payload.jsonl", with_payload('"x"') + "\n", [(1, "schema_violation")], 0)
case("missing-payload.jsonl", OK.replace(',"payload":{}', "") + "\n", [(1, "schema_violation")], 0)
case("huge-number-payload.jsonl", with_payload('{"n":1e400}') + "\n", [(1, "schema_violation")], 0)
case("too-deep-payload.jsonl", with_payload('{"a":' + "[" * 1500 + "]" * 1500 + "}") + "\n", [(1, "schema_violation")], 0)
case("truncated-last-line.jsonl", OK + "\n" + OK[:40], [(2, "truncated_line")], 1)
case("complete-last-line-no-newline.jsonl", OK + "\n" + OK, [], 2)
case("invalid-last-line-no-newline.jsonl", OK + "\n" + event(ch="BAD"), [(2, "schema_violation")], 1)
case("invalid-utf8.jsonl", OK.encode() + b"\n" + OK.encode().replace(b'"e"', b'"\xff\xfe"') + b"\n", [(2, "invalid_utf8")], 1)
case("overlong-utf8.jsonl", OK.encode().replace(b'"e"', b'"\xc0\xaf"') + b"\n", [(1, "invalid_utf8")], 0)
case("utf8-surrogate-bytes.jsonl", OK.encode().replace(b'"e"', b'"\xed\xa0\x80"') + b"\n", [(1, "invalid_utf8")], 0)
case("bom-first-line.jsonl", b"\xef\xbb\xbf" + OK.encode() + b"\n" + OK.encode() + b"\n", [], 2)
case("bom-second-line.jsonl", OK.encode() + b"\n\xef\xbb\xbf" + OK.encode() + b"\n", [(2, "invalid_json")], 1)
case("crlf-endings.jsonl", OK + "\r\n" + OK + "\r\n", [], 2)
case("blank-lines.jsonl", "\n" + OK + "\n   \n\t\n\r\n" + OK + "\n\n", [], 2, blank=5)
case("nul-bytes.jsonl", b"\x00" * 100, [(1, "truncated_line")], 0)
case("nul-in-line.jsonl", OK.encode() + b"\n\x00" + OK.encode() + b"\n", [(2, "invalid_json")], 1)
case("duplicate-keys.jsonl", OK[:-1] + ',"event":"second"}\n', [], 1)
case("duplicate-key-invalid-wins.jsonl", OK[:-1] + ',"channel":"../x"}\n', [(1, "schema_violation")], 0)
case("lone-surrogate.jsonl", with_payload('{"s":"\\ud800"}') + "\n", [(1, "schema_violation")], 0)
case("surrogate-pair.jsonl", with_payload('{"s":"\\ud83d\\ude00"}') + "\n", [], 1)
case("proto-keys.jsonl", with_payload('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') + "\n", [], 1)
case("extra-top-level-field.jsonl", OK[:-1] + ',"host":"a"}\n', [], 1)
case("line-too-long.jsonl", OK + "\n" + '{"x":"' + "a" * 8192 + '"}\n' + OK + "\n", [(2, "line_too_long")], 2)
case("line-too-long-last.jsonl", OK + "\n" + "b" * 10000, [(2, "line_too_long")], 1)
case("whitespace-around-json.jsonl", "  " + OK + "  \n", [], 1)
case("empty-file.jsonl", "", [], 0)
case("gzipped.jsonl.gz", gzip.compress((OK + "\n" + OK + "\n").encode(), mtime=0), [], 2)
MANY = "".join(event(ev=f"e{i}", ts=f"2025-03-01T10:{i % 60:02d}:{i % 59:02d}.{i:03d}Z") + "\n" for i in range(1000))
TRUNCATED = gzip.compress(MANY.encode(), mtime=0)
case("truncated.jsonl.gz", TRUNCATED[: len(TRUNCATED) // 2], [(None, "invalid_gzip")], None)
case("corrupt.jsonl.gz", b"\x1f\x8b\x08\x00garbage-not-deflate" * 3, [(1, "invalid_gzip")], 0)
case("not-gzip.jsonl.gz", (OK + "\n").encode(), [(1, "invalid_gzip")], 0)

with open(os.path.join(OUT, "expected.json"), "w") as handle:
    json.dump({"maxLineBytes": MAX_LINE_BYTES, "cases": cases}, handle, indent=2)
    handle.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
