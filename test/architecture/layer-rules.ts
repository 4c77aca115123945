// The layer rule of src/exporter (ARCHITECTURE.md) as code: every import of a file, static,
// type-only or dynamic, must point down the layers or stay inside the file's own folder, and the
// files must not import each other in a circle.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

/** Layers from the bottom up; a file may import only from layers below its own, or its folder. */
export const LAYERS: readonly (readonly string[])[] = [
  ["model"],
  ["contracts.ts"],
  ["plan"],
  ["engine"],
  ["sinks"],
  ["state", "report"],
  ["commands"],
  ["cli"],
  ["index.ts"],
];

/** A command may hand a mode of itself to another file; no other command imports a command. */
export const COMMAND_MODES: ReadonlySet<string> = new Set([
  "commands/export.ts -> commands/export-partitioned.ts",
  "commands/etl.ts -> commands/etl-incremental.ts",
]);

/** Outside src/exporter, the exporter may import only these (and packages). */
const OUTSIDE = ["errors/", "schema/", "version.ts"];

export interface Import {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every relative import of `text` (a file at `path` relative to the exporter root). */
export function importsOf(path: string, text: string): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4];
    if (spec === undefined || !spec.startsWith(".")) continue;
    const to = posix.normalize(posix.join(posix.dirname(path), spec)).replace(/\.js$/, ".ts");
    found.push({ from: path, to, typeOnly: m[4] === undefined && m[2] !== undefined });
  }
  return found;
}

function layerOf(path: string): number {
  const top = path.split("/")[0] as string;
  return LAYERS.findIndex((layer) => layer.includes(top));
}

/** What is wrong with the imports given: upward or sideways imports, and cycles. */
export function layerViolations(files: ReadonlyMap<string, readonly Import[]>): string[] {
  const problems: string[] = [];
  for (const imports of files.values()) {
    for (const { from, to, typeOnly } of imports) {
      const edge = `${from} -> ${to}`;
      if (to.startsWith("../")) {
        if (!OUTSIDE.some((allowed) => to.startsWith(`../${allowed}`))) {
          problems.push(`${edge}: outside the exporter`);
        }
        continue;
      }
      const [fromTop, toTop] = [from.split("/")[0], to.split("/")[0]];
      const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
      if (fromLayer === -1 || toLayer === -1) {
        problems.push(`${edge}: in no layer`);
      } else if (from === "contracts.ts" && !typeOnly) {
        problems.push(`${edge}: contracts.ts imports types only`);
      } else if (fromTop === "commands" && toTop === "commands" && !COMMAND_MODES.has(edge)) {
        problems.push(`${edge}: commands do not import each other`);
      } else if (fromTop !== toTop && toLayer >= fromLayer) {
        problems.push(`${edge}: points up or sideways (${toTop} is not below ${fromTop})`);
      }
    }
  }
  problems.push(...cycles(files));
  return problems;
}

function cycles(files: ReadonlyMap<string, readonly Import[]>): string[] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const { to } of files.get(file) ?? []) {
      if (state.get(to) === "open") {
        found.push(`cycle: ${[...stack.slice(stack.indexOf(to)), to].join(" -> ")}`);
      } else if (state.get(to) === undefined && files.has(to)) {
        visit(to);
      }
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...files.keys()].sort()) if (state.get(file) === undefined) visit(file);
  return found;
}

/** The imports of every .ts file under `root`, keyed by path relative to it. */
export function readImports(root: string): Map<string, Import[]> {
  const files = new Map<string, Import[]>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".ts")) {
        const key = relative(root, path).split("\\").join("/");
        files.set(key, importsOf(key, readFileSync(path, "utf8")));
      }
    }
  };
  walk(root);
  void dirname;
  return files;
}
