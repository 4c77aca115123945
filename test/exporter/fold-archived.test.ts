import { describe, expect, it } from "vitest";
import type { SavedTally } from "../../src/exporter/model/saved-tally.js";
import {
  type FoldedTally,
  foldArchived,
  mergeFolded,
  shiftFolded,
} from "../../src/exporter/state/fold-archived.js";

const tally = (file: string): SavedTally => ({
  lines: 1,
  valid: 0,
  invalid: 1,
  blank: 0,
  filtered: 0,
  warnings: 0,
  first_timestamp: null,
  last_timestamp: null,
  counts: [],
  versions: [],
  by_code: { invalid_json: 1 },
  kept: [{ file, line: 1, code: "invalid_json", severity: "error", message: "not JSON" }],
});

describe("folding archived files", () => {
  it("folds all but the newest `keep` into their channel's entry, oldest and newest in input order", () => {
    const marks = ["/d/a.jsonl.4", "/d/b.jsonl.2", "/d/a.jsonl.3", "/d/b.jsonl.1", "/d/a.jsonl.2"];
    const before = { first_path: "/d/a.jsonl.9", last_path: "/d/a.jsonl.5", files: 4 };
    const { archived, folded } = foldArchived(
      marks.map((path) => ({ path })),
      [before],
      mergeFolded,
      2,
    );
    expect(archived.map((m) => m.path)).toEqual(["/d/b.jsonl.1", "/d/a.jsonl.2"]);
    expect(folded).toEqual([
      { first_path: "/d/a.jsonl.9", last_path: "/d/a.jsonl.3", files: 6 },
      { first_path: "/d/b.jsonl.2", last_path: "/d/b.jsonl.2", files: 1 },
    ]);
  });

  it("moves a folded entry's numbered names, its diagnostics' too, by the rotations since", () => {
    const entry: FoldedTally = {
      first_path: "/d/app.jsonl.5",
      last_path: "/d/app.jsonl.3",
      files: 3,
      bytes: 10,
      tally: tally("/d/app.jsonl.4"),
    };
    const [moved] = shiftFolded([entry], new Map([["/d/app.jsonl", 2]]));
    expect(moved).toMatchObject({ first_path: "/d/app.jsonl.7", last_path: "/d/app.jsonl.5" });
    expect(moved?.tally.kept[0]?.file).toBe("/d/app.jsonl.6");
  });
});
