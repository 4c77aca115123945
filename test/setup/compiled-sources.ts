// The suite runs `src/` (and the fixtures that child processes run) compiled to JavaScript once
// per run, not through a TypeScript loader in every process and thread. Worker threads and
// child processes do not inherit Vitest's transform: each of them used to register tsx and
// compile the modules it loaded again, which was most of the suite's CPU time (about 350
// threads and processes, a quarter of a second each). The compiler is the one tsx uses, so the
// code that runs is the same.
import { copyFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SOURCES = join(ROOT, "src");
const FIXTURES = join(ROOT, "test", "fixtures", "processes");
const ENV = "TELEMETRY_TEST_BUILD";

/** This run's output directory: one per Vitest run, so that two runs in one tree never meet. */
export function buildDir(): string {
  process.env[ENV] ??= join(ROOT, ".test-build", `run-${process.pid}`);
  return process.env[ENV];
}

/** The compiled file of a `.ts` file under `src/` or the process fixtures; other paths as given. */
export function compiledPath(path: string): string {
  const absolute = path.startsWith("/") ? path : join(ROOT, path);
  const inside = absolute.startsWith(`${SOURCES}/`) || absolute.startsWith(`${FIXTURES}/`);
  if (!inside || !absolute.endsWith(".ts")) return absolute;
  return join(buildDir(), relative(ROOT, absolute)).replace(/\.ts$/, ".js");
}

function typeScriptFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts"))
    .map((name) => join(dir, name));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Vitest's global setup: compiles, and removes this run's output when the run ends. In watch
 * mode it keeps compiling what changes, so a watched run never tests stale sources (a file
 * added under `src/` needs a restart).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const out = buildDir();
  const remove = async () => rmSync(out, { recursive: true, force: true });
  // Each project of the config runs this setup; the first one builds for all.
  if (existsSync(join(out, "package.json"))) return remove;
  const parent = join(ROOT, ".test-build");
  // Left by a run that was killed: its process is gone.
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid > 0 && !isAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
  rmSync(out, { recursive: true, force: true });
  // Loaded here only: the config that imports this file must not need it to be read.
  const { context } = await import("esbuild");
  const compiler = await context({
    entryPoints: [...typeScriptFiles(SOURCES), ...typeScriptFiles(FIXTURES)],
    outdir: out,
    outbase: ROOT,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: "inline",
    logLevel: "warning",
  });
  await compiler.rebuild();
  // `src/version.ts` reads the package.json beside `src/`; it also makes the output ESM.
  copyFileSync(join(ROOT, "package.json"), join(out, "package.json"));
  if (project.vitest.config.watch) await compiler.watch();
  else await compiler.dispose();
  return async () => {
    await compiler.dispose();
    await remove();
  };
}
