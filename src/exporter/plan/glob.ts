import { readdirSync } from "node:fs";
import { join, sep } from "node:path";

/** True when the path contains glob syntax (`*`, `?`, `[`). */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

function segmentToRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const close = segment.indexOf("]", i + 1);
      if (close === -1) out += "\\[";
      else {
        const body = segment
          .slice(i + 1, close)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Whether one path segment's glob (no `**`) matches an entry name, hidden-entry rule included. */
export function segmentMatches(segment: string, name: string): boolean {
  if (name.startsWith(".") && !segment.startsWith(".")) return false;
  return isGlob(segment) ? segmentToRegExp(segment).test(name) : segment === name;
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
 * sorted. Hidden entries match only when the pattern segment starts with a dot.
 */
export function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const segments = pattern.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
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
    const re = segmentToRegExp(segment);
    for (const entry of listDir(dir)) {
      if (entry.name.startsWith(".") && !segment.startsWith(".")) continue;
      if (re.test(entry.name)) walk(join(dir, entry.name), index + 1);
    }
  };
  walk(absolute ? sep : ".", 0);
  return [...results].sort();
}
