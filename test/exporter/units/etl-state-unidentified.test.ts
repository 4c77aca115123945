// An incremental ETL whose plan holds a file it could not identify (listed, then gone or
// replaced before it was identified, as writers rotating under retention do) must leave the
// state of the run before, as a killed run does: it removed it, so the next run was a full one
// that dropped every archived file's events without a word (an adversary's find).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { saveEtlState } from "../../../src/exporter/state/etl-state.js";
import { tempDir } from "../../helpers/temp-dir.js";

describe("saveEtlState with a planned file that has no identity", () => {
  it("leaves the previous state as it was", async () => {
    const dir = tempDir();
    const paths = {
      events: join(dir, "telemetry_events.json"),
      state: join(dir, ".etl-state.json"),
    };
    writeFileSync(paths.state, "the state of the run before\n");
    const path = join(dir, "in", "c.20250301T000000000Z.jsonl");
    await saveEtlState(
      paths,
      "key",
      {
        planned: [{ path, bytes: 10, start: 10, committedEnd: 10 }],
        committed: [],
        errors: [undefined],
        identities: new Map(),
        saved: new Map(),
        unidentified: new Set(),
      },
      {
        bytes: 2,
        events: 0,
        output: { dev: "1", ino: "2", size: 2, mtime_ms: 0 },
        spare: undefined,
      },
      [],
      [],
    );
    expect(readFileSync(paths.state, "utf8")).toBe("the state of the run before\n");
  });
});
