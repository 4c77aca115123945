// Seeded, scalable data generator: N events over 4 channels, ~50 event names, 90 days, written as
// the Tracker writes them (JSON.stringify). Shapes: "standard" (payloads of 3-8 keys with nested
// objects, arrays, numbers, booleans and strings; about 250 bytes a line), "small" (1 or 2 keys;
// about 100 bytes) and "heavy" (nested objects and arrays, long strings with escapes and
// non-ASCII text; about 2 KB). Other producers' spellings of the same events: rewrite.py.
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

/** Options of {@link generate}. */
export interface GenerateOptions {
  readonly directory: string;
  readonly events: number;
  readonly seed?: number;
  /** Fraction of lines replaced by malformed ones. Default 0. */
  readonly malformed?: number;
  /** Default "standard". */
  readonly shape?: Shape;
}

/** The data shapes {@link generate} writes. */
export const SHAPES = ["standard", "small", "heavy"] as const;
export type Shape = (typeof SHAPES)[number];

const CHANNELS = ["user", "simulation", "system", "billing"] as const;
const VERBS = [
  "clicked",
  "viewed",
  "started",
  "stopped",
  "failed",
  "saved",
  "loaded",
  "synced",
  "opened",
  "closed",
];
const NOUNS = ["button", "page", "run", "job", "file"];
const NAMES = NOUNS.flatMap((n) => VERBS.map((v) => `${n}.${v}`)); // 50 names
const START = Date.UTC(2025, 0, 1);
const SPAN = 90 * 86_400_000;

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function payload(random: () => number, i: number): Record<string, unknown> {
  const keys = 3 + Math.floor(random() * 6);
  const out: Record<string, unknown> = {};
  const kinds = [
    () => `user-${Math.floor(random() * 5000)}`,
    () => Math.floor(random() * 100_000),
    () => Number((random() * 1000).toFixed(3)),
    () => random() < 0.5,
    () => ({
      os: random() < 0.5 ? "linux" : "macos",
      version: `1.${Math.floor(random() * 20)}.0`,
      gpu: random() < 0.3,
    }),
    () => [Math.floor(random() * 10), Math.floor(random() * 10), Math.floor(random() * 10)],
    () => `session ${i} note ${Math.floor(random() * 1e6).toString(36)}`,
    () => null,
  ];
  for (let k = 0; k < keys; k++)
    out[`k${k}_${Math.floor(random() * 4)}`] = (
      kinds[Math.floor(random() * kinds.length)] as () => unknown
    )();
  return out;
}

function smallPayload(random: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = { n: Math.floor(random() * 1000) };
  if (random() < 0.5) out.ok = random() < 0.5;
  return out;
}

const WORDS = ["naïve", "café", "Zürich", "東京", "données", "ошибка", "emoji 🚀", "tab\there"];
const PATHS = ["C:\\Users\\dev\\app", '/var/log/"quoted"', "line\nbreak", "a/b\\c"];

// About 2 KB: a request record with nested objects and arrays, and long strings of words with
// escapes (quotes, backslashes, tabs, newlines) and non-ASCII text.
function heavyPayload(random: () => number, i: number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const sentence = (words: number) =>
    `${Array.from({ length: words }, () => pick(WORDS)).join(" ")} ${pick(PATHS)}`;
  const frames = 4 + Math.floor(random() * 4);
  return {
    request: {
      id: `req-${i}-${Math.floor(random() * 1e9).toString(36)}`,
      method: pick(["GET", "POST", "PUT"]),
      path: `/api/v2/items/${Math.floor(random() * 1e6)}?q=${pick(WORDS)}`,
      headers: { "user-agent": `Mozilla/5.0 (${pick(WORDS)})`, accept: "application/json" },
      timings: [random() * 100, random() * 10, Math.floor(random() * 1000)].map((x) =>
        Number(x.toFixed(4)),
      ),
    },
    user: { id: Math.floor(random() * 1e6), name: pick(WORDS), roles: ["reader", pick(WORDS)] },
    message: sentence(30 + Math.floor(random() * 30)),
    stack: Array.from({ length: frames }, (_, k) => ({
      fn: `handler_${k}`,
      file: pick(PATHS),
      line: Math.floor(random() * 5000),
      note: sentence(6),
    })),
    flags: { retried: random() < 0.2, cached: random() < 0.5, sampled: null },
    metrics: Array.from({ length: 8 }, () => Math.floor(random() * 1e5)),
  };
}

/** Writes `<channel>.jsonl` files in `directory` and returns the total bytes written. */
export async function generate(options: GenerateOptions): Promise<number> {
  const random = rng(options.seed ?? 42);
  await mkdir(options.directory, { recursive: true });
  const streams = CHANNELS.map((c) => createWriteStream(join(options.directory, `${c}.jsonl`)));
  const buffers = CHANNELS.map(() => "");
  let bytes = 0;
  const malformed = options.malformed ?? 0;
  const shape = options.shape ?? "standard";
  for (let i = 0; i < options.events; i++) {
    const c = Math.floor(random() * CHANNELS.length);
    const ms = START + Math.floor((i / options.events) * SPAN) + Math.floor(random() * 1000);
    let line: string;
    if (malformed > 0 && random() < malformed) {
      line =
        random() < 0.5
          ? `{"schema_version":"telemetry_event_v1","channel":"${CHANNELS[c]}","event":`
          : `{"broken": ${i}`;
    } else {
      line = JSON.stringify({
        schema_version: "telemetry_event_v1",
        channel: CHANNELS[c],
        event: NAMES[Math.floor(random() * NAMES.length)],
        timestamp: new Date(ms).toISOString(),
        payload:
          shape === "small"
            ? smallPayload(random)
            : shape === "heavy"
              ? heavyPayload(random, i)
              : payload(random, i),
      });
    }
    buffers[c] += `${line}\n`;
    if ((buffers[c] as string).length > 1 << 20) {
      const stream = streams[c];
      bytes += Buffer.byteLength(buffers[c] as string);
      if (stream && !stream.write(buffers[c]))
        await new Promise<void>((r) => stream.once("drain", () => r()));
      buffers[c] = "";
    }
  }
  for (const [c, stream] of streams.entries()) {
    bytes += Buffer.byteLength(buffers[c] as string);
    stream.end(buffers[c]);
    await new Promise<void>((r) => stream.once("finish", () => r()));
  }
  return bytes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [directory = "bench/data/1x", events = "1000000", shape = "standard"] =
    process.argv.slice(2);
  if (!(SHAPES as readonly string[]).includes(shape)) throw new Error(`unknown shape ${shape}`);
  const bytes = await generate({ directory, events: Number(events), shape: shape as Shape });
  process.stdout.write(`wrote ${events} events, ${(bytes / 1e6).toFixed(1)} MB to ${directory}\n`);
}
