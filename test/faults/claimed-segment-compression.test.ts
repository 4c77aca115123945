// A rotation claims its segment's name as an empty file and renames the live file over it (see
// src/tracker/claim-segment.ts). A compression of another process that started on that empty
// claim (graceMs 0) and unlinked its source by name once its .gz was in place would unlink the
// rotated segment instead: the rename is forced into that moment here.
import * as fs from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { compressSegment } from "../../src/tracker/compress-segment.js";
import { fileText } from "../helpers/rotated-files.js";
import { tempDir } from "../helpers/temp-dir.js";

const hook = vi.hoisted(() => ({ afterRename: undefined as (() => void) | undefined }));

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    rename: async (from: fs.PathLike, to: fs.PathLike) => {
      await actual.rename(from, to);
      hook.afterRename?.();
    },
  };
});

describe("a compression of a segment's empty claim", () => {
  it("is not made, so the segment renamed over the claim meanwhile is never unlinked", async () => {
    const directory = tempDir();
    const name = "user.20250301T101500123Z.jsonl";
    const segment = join(directory, name);
    const live = join(directory, "user.jsonl");
    fs.writeFileSync(segment, "");
    fs.writeFileSync(live, '{"acknowledged":true}\n');
    // The rotation's rename, just after the compression put its .gz in place.
    hook.afterRename = () => fs.renameSync(live, segment);
    try {
      await compressSegment(directory, name, 0o644);
    } finally {
      hook.afterRename = undefined;
    }
    if (fs.existsSync(live)) fs.renameSync(live, segment);
    const kept = [name, `${name}.gz`].filter((file) => fs.existsSync(join(directory, file)));
    expect(kept.map((file) => fileText(directory, file)).join("")).toBe('{"acknowledged":true}\n');
  });
});
