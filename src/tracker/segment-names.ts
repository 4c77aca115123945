import { readdirSync } from "node:fs";

// The naming contract shared with the exporter (README, "Rotation"): the live file is
// `<channel>.jsonl`; a rotated segment is `<channel>.<STAMP>[-<n>].jsonl`, STAMP being the UTC
// time of the rotation as YYYYMMDDTHHMMSSmmmZ; a compressed one adds `.gz`. Channel names hold
// no dot, so no segment name can be taken for a live channel file.

/** One rotated segment of a channel, compressed or not (or both, mid-compression). */
export interface Segment {
  /** `<channel>.<STAMP>[-<n>].jsonl`: the name without `.gz`. */
  readonly name: string;
  /** The rotation time, epoch ms. */
  readonly rotatedAt: number;
  /** The `-<n>` suffix, 0 without one. */
  readonly serial: number;
  readonly plain: boolean;
  readonly gzipped: boolean;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/;

/**
 * The last time a stamp can write (9999-12-31T23:59:59.999Z): later years take more digits and
 * a sign, which no reader of the contract parses or orders.
 */
export const LAST_STAMP = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `Date` as YYYYMMDDTHHMMSSmmmZ. */
export function formatStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, "");
}

function parseStamp(stamp: string): number | undefined {
  const m = STAMP.exec(stamp);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  const time = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms);
  // Reject impossible dates (month 13) instead of letting Date roll them over.
  return formatStamp(time) === stamp ? time : undefined;
}

/** The name a segment rotated at `ms` gets, with `serial` > 0 when the plain one was taken. */
export function segmentName(channel: string, ms: number, serial: number): string {
  return `${channel}.${formatStamp(ms)}${serial === 0 ? "" : `-${serial}`}.jsonl`;
}

/** A temporary file name for the compressed copy of `name`: neither `.jsonl` nor `.gz` at its end. */
export function compressTempName(name: string, random: string): string {
  return `.${name}.gz.tmp-${random}`;
}

/** True for the temp files {@link compressTempName} makes for `channel`'s segments. */
export function isCompressTemp(channel: string, file: string): boolean {
  return file.startsWith(`.${channel}.`) && /\.jsonl\.gz\.tmp-[0-9a-f]+$/.test(file);
}

/** Parses a file name as a segment of `channel`. */
export function parseSegmentFile(
  channel: string,
  file: string,
): { name: string; rotatedAt: number; serial: number; gzipped: boolean } | undefined {
  if (!file.startsWith(`${channel}.`)) return undefined;
  const m = /^(\d{8}T\d{9}Z)(?:-([1-9]\d{0,8}))?\.jsonl(\.gz)?$/.exec(
    file.slice(channel.length + 1),
  );
  if (m === null) return undefined;
  const rotatedAt = parseStamp(m[1] as string);
  if (rotatedAt === undefined) return undefined;
  const gzipped = m[3] !== undefined;
  return {
    name: gzipped ? file.slice(0, -3) : file,
    rotatedAt,
    serial: m[2] === undefined ? 0 : Number(m[2]),
    gzipped,
  };
}

/** Groups parsed segment files into segments, oldest first: by rotation time, then serial. */
export function groupSegments(channel: string, files: readonly string[]): Segment[] {
  const byName = new Map<string, Segment>();
  for (const file of files) {
    const parsed = parseSegmentFile(channel, file);
    if (parsed === undefined) continue;
    const seen = byName.get(parsed.name);
    byName.set(parsed.name, {
      name: parsed.name,
      rotatedAt: parsed.rotatedAt,
      serial: parsed.serial,
      plain: (seen?.plain ?? false) || !parsed.gzipped,
      gzipped: (seen?.gzipped ?? false) || parsed.gzipped,
    });
  }
  return [...byName.values()].sort((a, b) => a.rotatedAt - b.rotatedAt || a.serial - b.serial);
}

/** The segments of `channel` in `directory`, oldest first; none when the directory is missing. */
export function listSegments(directory: string, channel: string): Segment[] {
  let files: string[];
  try {
    files = readdirSync(directory);
  } catch {
    return [];
  }
  return groupSegments(channel, files);
}
