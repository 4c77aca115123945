import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  copyPayloadSlowly,
  type PayloadRules,
  toJsonPayload,
} from "../../src/tracker/json-payload.js";

const odd = fc.constantFrom(
  undefined,
  Number.NaN,
  Number.NEGATIVE_INFINITY,
  -0,
  "\ud800",
  "😀",
  new Date(0),
  new Date(Number.NaN),
  [1, undefined],
  Object.create(null),
  new Map(),
  new URL("https://example.test/"),
  () => 1,
  Symbol("s"),
  10n,
  JSON.parse('{"__proto__":{"x":1}}'),
);
const value = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: odd },
);
const payload = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 6 }), value, { maxKeys: 5 }),
  fc.dictionary(
    fc.string({ maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 3 }), value, { maxKeys: 3 }),
    { maxKeys: 3 },
  ),
  odd,
);

function outcome(fn: () => unknown): unknown {
  try {
    return { ok: JSON.stringify(fn()), value: fn() };
  } catch (error) {
    return { error: String(error), issues: (error as { issues?: unknown }).issues };
  }
}

describe("payload copy: fast path vs the path-tracking copier", () => {
  it.each([2, 64])("agree on every payload (maxDepth %i)", (maxDepth) => {
    const rules: PayloadRules = { redact: undefined, censor: undefined, maxDepth };
    fc.assert(
      fc.property(payload, (p) => {
        expect(outcome(() => toJsonPayload(p, rules))).toEqual(
          outcome(() => copyPayloadSlowly(p, rules)),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
