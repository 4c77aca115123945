import { isAbsolute, normalize, relative, resolve } from "node:path";
import { segmentMatches } from "./glob.js";

function segmentsOf(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
}

// Whether `names` (from `j` on) can be matched by `pattern` (from `i` on). With `within`, the
// path is a directory: it counts when its names run out first, since a file inside it could
// then match the rest of the pattern.
function reach(pattern: string[], names: string[], within: boolean): boolean {
  const seen = new Set<number>();
  const go = (i: number, j: number): boolean => {
    const key = i * (names.length + 1) + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (j === names.length) {
      if (within && i < pattern.length) return true;
      return pattern.slice(i).every((s) => s === "**");
    }
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
 * Whether the glob `pattern` (as given to `inputs`) matches `path`, or, with `within`, may match a
 * file inside the directory `path`. Relative patterns are read from the working directory, as
 * input resolution reads them.
 */
export function globReaches(pattern: string, path: string, within = false): boolean {
  const absolute = isAbsolute(pattern);
  const target = absolute ? resolve(path) : relative(process.cwd(), resolve(path));
  return reach(segmentsOf(normalize(pattern)), segmentsOf(target), within);
}
