// A reader thread's chunks and stages are slots of one memory: a slot must never be handed to
// two users at once, and what is asked for beyond the slots is plain memory of the same size.
import { describe, expect, it } from "vitest";
import {
  CHUNK_BYTES,
  returnChunk,
  returnStage,
  STAGE_BYTES,
  takeChunk,
  takeStage,
} from "../../src/exporter/engine/reader-memory.js";
import { WASM_CHECK } from "../../src/schema/wasm/canonical-check.js";

describe("a reader thread's memory", () => {
  it("hands out distinct chunks, in the checks' memory while slots are free", () => {
    const chunks = Array.from({ length: 6 }, () => takeChunk());
    expect(chunks.every((c) => c.length === CHUNK_BYTES)).toBe(true);
    expect(chunks.filter((c) => c.buffer === WASM_CHECK.memory)).toHaveLength(4);
    const slots = chunks.filter((c) => c.buffer === WASM_CHECK.memory);
    expect(new Set(slots.map((c) => c.byteOffset)).size).toBe(4);
    const plain = chunks.filter((c) => c.buffer !== WASM_CHECK.memory);
    expect(new Set(plain.map((c) => c.buffer)).size).toBe(2);
    for (const chunk of chunks) returnChunk(chunk);
  });

  it("never hands out a slot given back twice to two users", () => {
    const a = takeChunk();
    returnChunk(a);
    returnChunk(a);
    const b = takeChunk();
    const c = takeChunk();
    expect(b.buffer === c.buffer && b.byteOffset === c.byteOffset).toBe(false);
    returnChunk(b);
    returnChunk(c);
    const s = takeStage();
    returnStage(s);
    returnStage(s);
    const t = takeStage();
    const u = takeStage();
    expect(t.buffer === u.buffer && t.byteOffset === u.byteOffset).toBe(false);
    expect([t.length, u.length]).toEqual([STAGE_BYTES, STAGE_BYTES]);
    returnStage(t);
    returnStage(u);
  });

  it("gives a smaller stage as plain memory of that size", () => {
    const stage = takeStage(4096);
    expect(stage.length).toBe(4096);
    expect(stage.buffer === WASM_CHECK.memory).toBe(false);
  });
});
