// A file that cannot be opened for want of descriptors or memory (EMFILE, ENFILE, ENOMEM) says
// nothing of whether it is there. Taken for a file that was not there, a listed file was once
// called deleted since the run listed it (a `vanished_file` warning, which fails nothing) and
// its events were missing from an export that exited 0: under a low `ulimit -n`, with reader
// threads holding descriptors, every file a run opened after them.

const SHORTAGES = new Set(["EMFILE", "ENFILE", "ENOMEM"]);

/** Thrown where a file could not be opened for want of a resource: it may well be there. */
export class OpenShortage extends Error {}

/** `error` again as an {@link OpenShortage} when it is one; else undefined. */
export function shortageOf(error: unknown): OpenShortage | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && SHORTAGES.has(code)
    ? new OpenShortage(`open failed (${code})`, { cause: error })
    : undefined;
}

/** What `open` returns, or undefined when it threw an {@link OpenShortage}. */
export function unlessShort<T>(open: () => T): T | undefined {
  try {
    return open();
  } catch (error) {
    if (error instanceof OpenShortage) return undefined;
    throw error;
  }
}
