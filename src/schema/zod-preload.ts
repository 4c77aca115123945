import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

// Below this soft limit of open files, a thread loading zod may run out (see loadZodGently).
// 1024 leaves room for the main thread and four workers loading at the same time.
const LOW_LIMIT = 1024;

function softOpenFileLimit(): number | undefined {
  try {
    const found = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    return found?.[1] === undefined ? undefined : Number(found[1]);
  } catch {
    return undefined; // not Linux: the limit cannot be read cheaply
  }
}

/**
 * Every zod entry point imports all of zod's locales (64 modules), and Node's ES module loader
 * opens the dependencies of a module all at once: under a low limit of open files (`ulimit -n
 * 80`) importing zod fails with EMFILE. Importing the locale modules one at a time first leaves
 * the loader nothing that wide to open. Only where the limit is low (Linux reports it), since
 * it costs milliseconds; best effort, the import itself then says what went wrong.
 */
export async function loadZodGently(): Promise<void> {
  const limit = softOpenFileLimit();
  if (limit === undefined || limit >= LOW_LIMIT) return;
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve("zod/v4/locales/en.js"));
  } catch {
    return;
  }
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".js") && name !== "index.js") {
      await import(pathToFileURL(join(dir, name)).href);
    }
  }
}
