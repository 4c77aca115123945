import { type Dirent, lstatSync } from "node:fs";
import { join, sep } from "node:path";
import { GlobSegment } from "./glob-pattern.js";
import { listInputDirectory } from "./list-input-directory.js";

/** True when the path contains glob syntax (`*`, `?`, `[`). */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * Whether one path segment's glob (no `**`) matches an entry name, hidden-entry rule included:
 * the same matcher and the same rule as {@link expandGlob}.
 */
export function segmentMatches(segment: string, name: string): boolean {
  if (name.startsWith(".") && !segment.startsWith(".")) return false;
  return isGlob(segment) ? new GlobSegment(segment).matches(name) : segment === name;
}

/** Lists a directory's entries: `readdirSync` unless a test counts the reads. */
export type ListDirectory = (dir: string) => readonly Dirent[];

// A directory the glob must look into and cannot list is an error, never an empty listing: its
// matches would be left out of a run that reported nothing missing.
const readDirectory: ListDirectory = listInputDirectory;

/**
 * Expands a glob (`*`, `?`, `[...]` within a segment, `**` for any depth) to the matching paths
 * that exist, sorted. Hidden entries match only when the pattern segment starts with a dot.
 * Throws a `usage` error for a pattern that cannot be compiled. Each directory is read at most
 * once, and visited at most once per position in the pattern, so several `**` stay linear in
 * the size of the tree.
 */
export function expandGlob(pattern: string, list: ListDirectory = readDirectory): string[] {
  const absolute = pattern.startsWith("/");
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  // Compiled before any directory is read, so a bad pattern is refused whatever exists.
  const compiled = segments.map((s) =>
    s !== "**" && isGlob(s) ? new GlobSegment(s, pattern) : undefined,
  );
  const listings = new Map<string, readonly Dirent[]>();
  const entries = (dir: string): readonly Dirent[] => {
    let listing = listings.get(dir);
    if (listing === undefined) {
      listing = list(dir);
      listings.set(dir, listing);
    }
    return listing;
  };
  const visited = new Set<string>();
  const results = new Set<string>();
  const walk = (dir: string, index: number): void => {
    const key = `${index}\0${dir}`;
    if (visited.has(key)) return;
    visited.add(key);
    if (index === segments.length) {
      // A literal segment is joined without reading its directory: the path may not exist.
      if (lstatSync(dir, { throwIfNoEntry: false }) !== undefined) results.add(dir);
      return;
    }
    const segment = segments[index] as string;
    if (segment === "**") {
      walk(dir, index + 1);
      for (const entry of entries(dir)) {
        if (entry.isDirectory() && !entry.name.startsWith(".")) walk(join(dir, entry.name), index);
      }
      return;
    }
    if (!isGlob(segment)) {
      walk(join(dir, segment), index + 1);
      return;
    }
    const matcher = compiled[index] as GlobSegment;
    for (const entry of entries(dir)) {
      if (entry.name.startsWith(".") && !segment.startsWith(".")) continue;
      if (matcher.matches(entry.name)) walk(join(dir, entry.name), index + 1);
    }
  };
  walk(absolute ? sep : ".", 0);
  return [...results].sort();
}
