import { readFileSync } from "node:fs";

/** The lines of a file, without the empty string after the final newline. */
export function readLines(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
