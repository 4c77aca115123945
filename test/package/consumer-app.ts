import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** What a command printed; it throws (with its output) on a non-zero exit. */
export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
}

// The outer `npm`/`npx` that started vitest leaves its lifecycle variables behind; a nested npm
// must not read them as its own package's.
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_(package_|lifecycle_|command$|config_)/.test(key)) env[key] = value;
  }
  return env;
}

/** Runs a command in `cwd`; rejects with its stdout and stderr in the message on failure. */
export async function run(command: string, args: readonly string[], cwd: string): Promise<Ran> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd,
      env: cleanEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    return { stdout, stderr };
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.message}\n${e.stdout}\n${e.stderr}`);
  }
}

/**
 * Copies what a fresh clone would hold (tracked and new, non-ignored files of the working tree,
 * so uncommitted work is tested too) into `target`; no `dist`, no `node_modules`.
 */
export async function copyCleanCheckout(root: string, target: string): Promise<void> {
  const { stdout } = await run(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    root,
  );
  for (const file of stdout.split("\0")) {
    if (file === "" || !existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(root, file), join(target, file));
  }
}

/** `npm pack` in `checkout`; returns the tarball's path and the files it holds. */
export async function pack(
  checkout: string,
  destination: string,
): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await run(
    "npm",
    ["pack", "--json", "--pack-destination", destination],
    checkout,
  );
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (info === undefined) throw new Error(`npm pack printed no tarball: ${stdout}`);
  return { tarball: join(destination, info.filename), files: info.files.map((f) => f.path) };
}

/** Creates an ES module app at `app`, with `dependencies`, and installs `tarball` into it. */
export async function installInto(
  app: string,
  tarball: string,
  dependencies: Record<string, string> = {},
  extraArgs: readonly string[] = [],
): Promise<Ran> {
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer-app", private: true, type: "module", dependencies }),
  );
  const args = ["install", tarball, "--no-audit", "--no-fund", ...extraArgs];
  // From the npm cache when it holds everything; the registry only for what it lacks.
  try {
    return await run("npm", [...args, "--offline"], app);
  } catch (error) {
    if (!String(error).includes("ENOTCACHED")) throw error;
    return run("npm", [...args, "--prefer-offline"], app);
  }
}

/** Links the repository's `node_modules` into a checkout copy, so `npm pack` can build. */
export function linkNodeModules(root: string, checkout: string): void {
  symlinkSync(join(root, "node_modules"), join(checkout, "node_modules"), "dir");
}
