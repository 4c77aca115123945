import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ComposedLine, TextOutput } from "../../../src/exporter/engine/text-output.js";

// What each kind of add writes, and the text it stands for. Lengths reach past the 128 KiB that
// TextOutput gathers before copying into its shared memory, so lines cross that edge, fill it
// exactly, or skip it.
type Add =
  | { kind: "bytes"; bytes: Uint8Array; start: number; end: number }
  | { kind: "cut"; bytes: Uint8Array; start: number; end: number; cut: [number, number] }
  | { kind: "line"; bytes: Uint8Array; slack: number }
  | { kind: "text"; text: string };

const length = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }) },
  { weight: 3, arbitrary: fc.integer({ min: 20_000, max: 70_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 128 * 1024 - 8, max: 128 * 1024 + 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 130_000, max: 300_000 }) },
);

const bytesOf = (n: number, seed: number) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 31) & 0xff;
  return b;
};

const add: fc.Arbitrary<Add> = fc.oneof(
  fc.tuple(length, fc.nat(16), fc.nat(16), fc.nat(255)).map(([n, before, after, seed]) => ({
    kind: "bytes" as const,
    bytes: bytesOf(before + n + after, seed),
    start: before,
    end: before + n,
  })),
  fc
    .tuple(length, fc.nat(16), fc.nat(255), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(9))
    .map(([n, before, seed, at, cut]) => {
      const from = before + Math.floor(n * at);
      return {
        kind: "cut" as const,
        bytes: bytesOf(before + n + cut, seed),
        start: before,
        end: before + n + cut,
        cut: [from, from + cut] as [number, number],
      };
    }),
  fc
    .tuple(length, fc.nat(64), fc.nat(255))
    .map(([n, slack, seed]) => ({ kind: "line" as const, bytes: bytesOf(n, seed), slack })),
  fc.string({ unit: "binary", maxLength: 300 }).map((text) => ({ kind: "text" as const, text })),
);

function expected(add: Add): Buffer {
  switch (add.kind) {
    case "bytes":
      return Buffer.from(add.bytes.subarray(add.start, add.end));
    case "cut":
      return Buffer.concat([
        add.bytes.subarray(add.start, add.cut[0]),
        add.bytes.subarray(add.cut[1], add.end),
      ]);
    case "line":
      return Buffer.from(add.bytes);
    case "text":
      return Buffer.from(add.text, "utf8");
  }
}

function apply(out: TextOutput, add: Add): void {
  switch (add.kind) {
    case "bytes":
      out.addBytes(add.bytes, add.start, add.end);
      return;
    case "cut":
      out.addBytesCut(add.bytes, add.start, add.end, add.cut[0], add.cut[1]);
      return;
    case "line": {
      const line: ComposedLine = {
        lineBytes: () => add.bytes.length + add.slack,
        writeLine(into, at) {
          into.set(add.bytes, at);
          return at + add.bytes.length;
        },
      };
      out.addLine(line);
      return;
    }
    case "text":
      out.addText(add.text);
      return;
  }
}

describe("TextOutput", () => {
  it("writes every kind of event, in order, as JSON items (each after `,\\n`) or JSON Lines", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("json" as const, "jsonl" as const),
        fc.array(add, { maxLength: 40 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.boolean(),
        (format, adds, expectedBytes, withSpare) => {
          // A spare holding an earlier segment's bytes, which must not show through.
          const spare = withSpare ? new SharedArrayBuffer(256 * 1024) : undefined;
          if (spare) new Uint8Array(spare).fill(0x7e);
          const out = new TextOutput(format, expectedBytes, spare);
          for (const a of adds) apply(out, a);
          const texts = adds.map(expected);
          const want =
            format === "json"
              ? Buffer.concat(texts.flatMap((t) => [Buffer.from(",\n"), t]))
              : Buffer.concat(texts.flatMap((t) => [t, Buffer.from("\n")]));
          const got = out.done();
          expect(got.buffer).toBeInstanceOf(SharedArrayBuffer);
          expect(Buffer.from(got).equals(want)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is done with nothing added: no bytes", () => {
    for (const format of ["json", "jsonl"] as const)
      expect(new TextOutput(format, 100).done().length).toBe(0);
  });
});
