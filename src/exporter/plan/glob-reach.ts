import { isAbsolute, normalize, relative, resolve } from "node:path";
import { segmentMatches } from "./glob.js";

function segmentsOf(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
}

// Whether `names` (from `j` on) are matched by `pattern` (from `i` on).
function reach(pattern: string[], names: string[]): boolean {
  const seen = new Set<number>();
  const go = (i: number, j: number): boolean => {
    const key = i * (names.length + 1) + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (j === names.length) return pattern.slice(i).every((s) => s === "**");
    if (i === pattern.length) return false;
    const segment = pattern[i] as string;
    const name = names[j] as string;
    if (segment === "**") {
      // `**` spans any number of non-hidden directories, as expandGlob walks them.
      return go(i + 1, j) || (!name.startsWith(".") && go(i, j + 1));
    }
    return segmentMatches(segment, name) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/**
 * Whether the glob `pattern` (as given to `inputs`) matches `path`. Relative patterns are read
 * from the working directory, as input resolution reads them.
 */
export function globReaches(pattern: string, path: string): boolean {
  const absolute = isAbsolute(pattern);
  const target = absolute ? resolve(path) : relative(process.cwd(), resolve(path));
  return reach(segmentsOf(normalize(pattern)), segmentsOf(target));
}
