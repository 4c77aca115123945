// docs/sdk.md, maxOpenFiles: "64, or a quarter of the process's open-file limit when that is
// lower (Linux)". The limit is read from /proc/self/limits.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultMaxOpenFiles, openFileLimit } from "../../src/tracker/descriptor-limit.js";
import { tempDir } from "../helpers/temp-dir.js";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             95493                95493                processes
Max open files            %s                 %s                files
`;

function limitsFile(soft: string): string {
  const path = join(tempDir(), "limits");
  writeFileSync(path, LIMITS.replaceAll("%s", soft));
  return path;
}

describe("the default maxOpenFiles", () => {
  it("reads the soft limit on open files", () => {
    expect(openFileLimit(limitsFile("1024"))).toBe(1024);
    expect(openFileLimit(limitsFile("unlimited"))).toBeUndefined();
    expect(openFileLimit(join(tempDir(), "none"))).toBeUndefined();
    // This machine's own, where there is one.
    const own = openFileLimit();
    if (own !== undefined) expect(own).toBeGreaterThan(0);
  });

  it("is 64, or a quarter of a lower limit, and at least 1", () => {
    expect(defaultMaxOpenFiles(undefined)).toBe(64);
    expect(defaultMaxOpenFiles(20_000)).toBe(64);
    expect(defaultMaxOpenFiles(256)).toBe(64);
    expect(defaultMaxOpenFiles(255)).toBe(63);
    expect(defaultMaxOpenFiles(64)).toBe(16);
    expect(defaultMaxOpenFiles(3)).toBe(1);
  });
});
