import { readdir, readFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { TelemetryError } from "../../errors/index.js";

// The first line of the `_SUCCESS` a partitioned export of ours writes. Spark and Hadoop write
// an empty `_SUCCESS` (or one of their own): such a directory is not ours to replace.
const MANIFEST_HEADER = "telemetry-exporter partitioned export; files written:";

/** The text of our `_SUCCESS`: the header, then every file the export wrote, one a line. */
export function manifestText(files: Iterable<string>): string {
  return `${[MANIFEST_HEADER, ...[...files].sort()].join("\n")}\n`;
}

// The files a manifest lists, or undefined when `text` is not one of ours.
function parseManifest(text: string): Set<string> | undefined {
  const [header, ...rest] = text.split("\n");
  if (header !== MANIFEST_HEADER || rest[rest.length - 1] !== "") return undefined;
  return new Set(rest.slice(0, -1));
}

function conflict(message: string): TelemetryError {
  return new TelemetryError("output_conflict", message, { path: ["output"] });
}

/**
 * Checks that the existing directory `target` may be replaced: it is empty, or it holds nothing
 * but what a previous export of ours wrote (our `_SUCCESS` and the files it lists, and their
 * folders). Anything else (a Spark output, a file a user added, another command's outputs) is
 * refused, so replacing the directory never deletes what this program did not write.
 */
export async function checkReplaceable(target: string, marker: string): Promise<void> {
  const entries = (await readdir(target, { recursive: true })).map((e) => e.split(sep).join("/"));
  if (entries.length === 0) return;
  const text = await readFile(join(target, marker), "utf8").catch(() => undefined);
  const listed = text === undefined ? undefined : parseManifest(text);
  if (listed === undefined) {
    throw conflict(
      `output ${target} is a directory that is not a partitioned export of telemetry-exporter (no ${marker} of ours); refusing to replace it`,
    );
  }
  const folders = new Set<string>();
  for (const file of listed) {
    for (let d = dirname(file); d !== "." && d !== "/"; d = dirname(d)) folders.add(d);
  }
  const foreign = entries.find((e) => e !== marker && !listed.has(e) && !folders.has(e));
  if (foreign !== undefined) {
    throw conflict(
      `output ${target} holds ${foreign}, which the previous export did not write; refusing to replace the directory (move that file out, or choose another output)`,
    );
  }
}
