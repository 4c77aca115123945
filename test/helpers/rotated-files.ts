import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const SEGMENT = /^([a-z0-9][a-z0-9_-]*)\.(\d{8}T\d{9}Z)(?:-(\d+))?\.jsonl(\.gz)?$/;

/** A channel's files as a reader of the naming contract sees them, in time order. */
export function channelFiles(directory: string, channel: string): string[] {
  const files = readdirSync(directory);
  const segments = files
    .map((file) => ({ file, m: SEGMENT.exec(file) }))
    .filter(({ m }) => m !== null && m[1] === channel)
    // A reader finding both X.jsonl and X.jsonl.gz reads only X.jsonl.
    .filter(({ file, m }) => m?.[4] === undefined || !files.includes(file.slice(0, -3)))
    .sort(
      (a, b) =>
        (a.m?.[2] ?? "").localeCompare(b.m?.[2] ?? "") ||
        Number(a.m?.[3] ?? 0) - Number(b.m?.[3] ?? 0),
    )
    .map(({ file }) => file);
  return files.includes(`${channel}.jsonl`) ? [...segments, `${channel}.jsonl`] : segments;
}

/** The text of a channel file, gunzipped when compressed. */
export function fileText(directory: string, file: string): string {
  const data = readFileSync(join(directory, file));
  return (file.endsWith(".gz") ? gunzipSync(data) : data).toString("utf8");
}

/** Every line of a channel (segments, then the live file), skipping blank lines. */
export function channelLines(directory: string, channel: string): string[] {
  return channelFiles(directory, channel).flatMap((file) =>
    fileText(directory, file)
      .split("\n")
      .filter((line) => line !== ""),
  );
}

/** Polls `check` until it returns true. */
export async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
