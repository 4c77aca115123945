import { basename, dirname, join } from "node:path";

// Rotated files keep their live file's events in time order only if they are read oldest first,
// the live file last. Each name is mapped to its live file's path (the group) and a rank in it.
// The `s` flag: a file name may hold a newline, and such a file is an input like any other.

/** A Tracker segment: `<channel>.<YYYYMMDDTHHMMSSmmmZ>[-<n>].jsonl[.gz]`. */
const TRACKER = /^(.+)\.(\d{8}T\d{9})Z(?:-(\d+))?\.jsonl(\.gz)?$/s;
/** logrotate without dateext: `<name>.jsonl.<N>[.gz]`, higher N older. */
const NUMBERED = /^(.+\.jsonl)\.(\d+)(\.gz)?$/s;
/** logrotate with dateext: `<name>.jsonl-<YYYYMMDD>[.gz]`. */
const DATED = /^(.+\.jsonl)-(\d{8})(\.gz)?$/s;
/** The live file, or a whole file compressed: `<name>.jsonl[.gz]`. */
const PLAIN = /^(.+\.jsonl)(\.gz)?$/s;

/** Where a file stands among the rotated files of its live file. */
export interface RotationRank {
  /** The live file's path: files of one group are read together. */
  readonly group: string;
  /**
   * 0: numbered (no time in the name, so read before every dated one), 1: dated or stamped,
   * 2: the live file (or a name no rotation scheme made).
   */
  readonly tier: 0 | 1 | 2;
  /** In tier 0, the negated N; in tier 1, the rotation time as `YYYYMMDDHHMMSSmmm` digits. */
  readonly order: number | string;
  /** In tier 1: a date (0) before a stamp (1) of the same time; then the stamp's `-n`. */
  readonly tie: number;
}

/** The rank of the file at `path`, from its name alone. */
export function rotationRank(path: string): RotationRank {
  const dir = dirname(path);
  const name = basename(path);
  const tracker = TRACKER.exec(name);
  if (tracker !== null) {
    return {
      group: join(dir, `${tracker[1]}.jsonl`),
      tier: 1,
      order: (tracker[2] as string).replace("T", ""),
      tie: 1 + Number(tracker[3] ?? 0),
    };
  }
  const numbered = NUMBERED.exec(name);
  if (numbered !== null) {
    return {
      group: join(dir, numbered[1] as string),
      tier: 0,
      order: -Number(numbered[2]),
      tie: 0,
    };
  }
  const dated = DATED.exec(name);
  if (dated !== null) {
    return { group: join(dir, dated[1] as string), tier: 1, order: `${dated[2]}000000000`, tie: 0 };
  }
  const plain = PLAIN.exec(name);
  return {
    group: plain === null ? path : join(dir, plain[1] as string),
    tier: 2,
    order: 0,
    tie: 0,
  };
}

/** A file's place in logrotate's numbered scheme: the live file is 0, `<live>.N[.gz]` is N. */
export interface NumberedPlace {
  /** The live file's path. */
  readonly group: string;
  readonly n: number;
  readonly gz: boolean;
}

/** The numbered place of the file at `path`, or undefined for any other name. */
export function numberedPlace(path: string): NumberedPlace | undefined {
  const name = basename(path);
  if (TRACKER.test(name)) return undefined;
  const numbered = NUMBERED.exec(name);
  if (numbered !== null) {
    const group = join(dirname(path), numbered[1] as string);
    return { group, n: Number(numbered[2]), gz: numbered[3] !== undefined };
  }
  const plain = PLAIN.exec(name);
  return plain === null || plain[2] !== undefined ? undefined : { group: path, n: 0, gz: false };
}

/** The path of a numbered place. */
export function numberedPath(place: NumberedPlace): string {
  return place.n === 0 ? place.group : `${place.group}.${place.n}${place.gz ? ".gz" : ""}`;
}

/** True for a Tracker segment's plain name: `<channel>.<stamp>[-<n>].jsonl`. */
export function isTrackerSegmentName(name: string): boolean {
  return TRACKER.test(name) && !name.endsWith(".gz");
}

/** True for the names a directory input reads: live, compressed and rotated JSON Lines files. */
export function isTelemetryFileName(name: string): boolean {
  return PLAIN.test(name) || NUMBERED.test(name) || DATED.test(name);
}

const compare = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Input order: by live file path, then oldest rotated file first and the live file last, so
 * events come out in time order within a channel; a compressed copy after its source.
 */
export function compareInputPaths(a: string, b: string): number {
  return compareRanked({ path: a, rank: rotationRank(a) }, { path: b, rank: rotationRank(b) });
}

type Ranked = { readonly path: string; readonly rank: RotationRank };

function compareRanked({ path: a, rank: x }: Ranked, { path: b, rank: y }: Ranked): number {
  return (
    compare(x.group, y.group) ||
    x.tier - y.tier ||
    compare(x.order, y.order) ||
    x.tie - y.tie ||
    compare(a, b)
  );
}

/** `paths` in input order ({@link compareInputPaths}), each name parsed once. */
export function sortInputPaths(paths: readonly string[]): string[] {
  return paths
    .map((path) => ({ path, rank: rotationRank(path) }))
    .sort(compareRanked)
    .map((r) => r.path);
}

/**
 * Drops `X.jsonl.gz` when `X.jsonl` is also there and `pending` says the `.gz` is a compression
 * that has not yet removed its source: the plain file is the one read; the next run finds only
 * the `.gz`. A `.gz` that is another file (`X.jsonl` compressed whole, then the name written
 * again) is kept, and read just before `X.jsonl`: its events are the older.
 */
export function dropPendingCompressions(
  paths: readonly string[],
  pending: (gz: string, plain: string) => boolean = () => true,
): string[] {
  const all = new Set(paths);
  const older = new Set<string>();
  const kept = paths.filter((p) => {
    if (!p.endsWith(".gz") || !all.has(p.slice(0, -3))) return true;
    if (pending(p, p.slice(0, -3))) return false;
    older.add(p);
    return true;
  });
  if (older.size === 0) return kept;
  return kept
    .filter((p) => !older.has(p))
    .flatMap((p) => (older.has(`${p}.gz`) ? [`${p}.gz`, p] : [p]));
}
