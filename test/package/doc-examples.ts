import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One ```ts block of a document, as a module of its own. */
export interface DocExample {
  /** `README.md:12`: the document and the line its code starts on. */
  readonly where: string;
  /** The module's file name, in the examples directory. */
  readonly file: string;
  readonly code: string;
  /** Lines of the module (1-based) the document says do not compile (`// type error`). */
  readonly typeErrors: readonly number[];
  /** Lines the harness put before the block (imports a fragment leaves out). */
  readonly added: number;
}

// A fragment leaves out the imports its document shows once; what each name comes from.
const IMPORTS: readonly { readonly name: RegExp; readonly line: string }[] = [
  { name: /\bTracker\b/, line: 'import { Tracker } from "telemetry-pipeline";' },
  { name: /\bz\./, line: 'import { z } from "zod";' },
];

/** The ```ts blocks of the package's README and docs, as they were installed. */
export function docExamples(packageDir: string): DocExample[] {
  const docs = [
    "README.md",
    ...readdirSync(join(packageDir, "docs"))
      .filter((name) => name.endsWith(".md"))
      .sort()
      .map((name) => `docs/${name}`),
  ];
  const examples: DocExample[] = [];
  for (const doc of docs) {
    const lines = readFileSync(join(packageDir, doc), "utf8").split("\n");
    for (let at = 0; at < lines.length; at++) {
      if (lines[at] !== "```ts") continue;
      const end = lines.indexOf("```", at + 1);
      const body = lines.slice(at + 1, end);
      const header = IMPORTS.filter(
        (i) => body.some((l) => i.name.test(l)) && !body.some((l) => l.startsWith("import")),
      ).map((i) => i.line);
      const code = [...header, ...body];
      examples.push({
        where: `${doc}:${at + 2}`,
        file: `${doc.replace(/\W+/g, "-")}-${at + 2}.ts`,
        code: `${code.join("\n")}\n`,
        typeErrors: code.flatMap((l, i) => (l.includes("// type error") ? [i + 1] : [])),
        added: header.length,
      });
      at = end;
    }
  }
  return examples;
}

/**
 * Writes the examples into `dir` with a tsconfig a user's app would have (ESM, strict, Node's
 * types), compiled into `dir/out`; returns the tsconfig's path.
 */
export function writeExamples(
  dir: string,
  examples: readonly DocExample[],
  nodeTypes: string,
): string {
  mkdirSync(dir, { recursive: true });
  for (const example of examples) writeFileSync(join(dir, example.file), example.code);
  const config = join(dir, "tsconfig.json");
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "ES2022",
        lib: ["ES2023"],
        strict: true,
        skipLibCheck: true,
        typeRoots: [nodeTypes],
        types: ["node"],
        outDir: "out",
        rootDir: ".",
      },
      files: examples.map((e) => e.file),
    }),
  );
  return config;
}

/** `file:line` of each error in tsc's output. */
export function errorLines(output: string): string[] {
  return [...output.matchAll(/^(\S+?\.ts)\((\d+),\d+\): error /gm)].map((m) => `${m[1]}:${m[2]}`);
}
