import { readdirSync } from "node:fs";
import { join, sep } from "node:path";
import { GlobSegment } from "./glob-pattern.js";

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

function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Expands a glob (`*`, `?`, `[...]` within a segment, `**` for any depth) to the matching paths,
 * sorted. Hidden entries match only when the pattern segment starts with a dot. Throws a `usage`
 * error for a pattern that cannot be compiled.
 */
export function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  // Compiled before any directory is read, so a bad pattern is refused whatever exists.
  const compiled = segments.map((s) =>
    s !== "**" && isGlob(s) ? new GlobSegment(s, pattern) : undefined,
  );
  const results = new Set<string>();
  const walk = (dir: string, index: number): void => {
    if (index === segments.length) {
      results.add(dir);
      return;
    }
    const segment = segments[index] as string;
    if (segment === "**") {
      walk(dir, index + 1);
      for (const entry of listDir(dir)) {
        if (entry.isDirectory() && !entry.name.startsWith(".")) walk(join(dir, entry.name), index);
      }
      return;
    }
    if (!isGlob(segment)) {
      walk(join(dir, segment), index + 1);
      return;
    }
    const matcher = compiled[index] as GlobSegment;
    for (const entry of listDir(dir)) {
      if (entry.name.startsWith(".") && !segment.startsWith(".")) continue;
      if (matcher.matches(entry.name)) walk(join(dir, entry.name), index + 1);
    }
  };
  walk(absolute ? sep : ".", 0);
  return [...results].sort();
}
