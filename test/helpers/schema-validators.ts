// The JSON Schema as producers in other languages check their lines against it: ajv (ECMA-262
// regular expressions, as the JSON Schema specification says), and ajv with the regular
// expressions of Python's `jsonschema` (`re.search`) and of Java's validators
// (`java.util.regex`, `Matcher.find`), which differ from ECMA-262 where a pattern ends in `$`:
// both let `$` match before a final line terminator, and Python's `\d` is any Unicode digit.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";

const schemaPath = new URL("../../schema/telemetry_event_v1.schema.json", import.meta.url);

/** The committed JSON Schema of `telemetry_event_v1`. */
export function committedEventSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath, "utf8"));
}

type Dialect = "ecma" | "python" | "java";

// `$` before an optional final line terminator, as each dialect reads a `$` outside MULTILINE.
const END: Record<Exclude<Dialect, "ecma">, string> = {
  python: "(?=\\n?$)",
  java: "(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$)",
};

// Rewrites our schema's patterns (no `$` inside classes, no escaped `$`) into an ECMA-262
// pattern with the dialect's meaning.
function translate(pattern: string, dialect: Exclude<Dialect, "ecma">): string {
  let out = pattern.replace(/\$/g, END[dialect]);
  if (dialect === "python") out = out.replace(/\\d/g, "\\p{Nd}");
  return out;
}

function engine(dialect: Exclude<Dialect, "ecma">) {
  const make = (pattern: string, _flags: string) => new RegExp(translate(pattern, dialect), "u");
  make.code = "new RegExp";
  return make;
}

/** A validator of the committed schema, with the regular expressions of `dialect`. */
export function schemaValidator(dialect: Dialect): (value: unknown) => boolean {
  const ajv =
    dialect === "ecma"
      ? new Ajv2020({ strict: false })
      : new Ajv2020({ strict: false, code: { regExp: engine(dialect) } });
  const validate = ajv.compile(committedEventSchema());
  return (value) => validate(value) === true;
}
