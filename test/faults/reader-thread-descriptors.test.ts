// Every descriptor taken (held open by the process) once the descriptor budget has counted them,
// in real processes of the built CLI: the reader threads fail to start (EMFILE), and the main
// thread cannot open the inputs either. A file not opened for want of a descriptor may well be
// there: it is the error `unreadable_file` ("open failed (EMFILE)"), never the warning
// `vanished_file` ("deleted after the run listed it"), which fails nothing. Before, the run
// failed with "worker crashed: Worker initialization failure: EMFILE"; with the threads a
// speed-up only and the old reading of a failed open, it called every file deleted.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FILES, runWithFaults, writeInput } from "../helpers/reader-faults.js";
import { tempDir } from "../helpers/temp-dir.js";

const TIMEOUT_MS = 60_000;
const HELD = { HOLD_FDS_LEAVE: "0" };

describe("every descriptor held open once the reader threads are counted", () => {
  it(
    "validate calls the files it could not open unreadable, not deleted, and exits 1",
    async () => {
      const input = join(tempDir(), "in");
      writeInput(input);
      const run = await runWithFaults(["validate", "-i", input], HELD);
      expect(run.stderr).not.toMatch(/vanished_file|worker crashed/);
      expect(run.stderr).toMatch(/unreadable_file: (open|read) failed \(EMFILE\)/);
      expect(run.code, run.stderr).toBe(1);
    },
    TIMEOUT_MS,
  );

  it(
    "export --format jsonl names each file it could not read as an error",
    async () => {
      const dir = tempDir();
      const input = join(dir, "in");
      writeInput(input);
      const run = await runWithFaults(
        ["export", "--format", "jsonl", "-i", input, "-o", join(dir, "events.jsonl")],
        HELD,
      );
      expect(run.stderr).not.toMatch(/vanished_file|worker crashed/);
      const read = Number(/read \d+ files, (\d+) lines/.exec(run.stderr)?.[1]);
      const unreadable = Number(/unreadable_file: (\d+)/.exec(run.stderr)?.[1] ?? 0);
      // Each file is read whole (5 or 6 lines) or is an error: none is left out unsaid.
      expect(unreadable, run.stderr).toBeGreaterThan(0);
      expect(read).toBeGreaterThanOrEqual((FILES - unreadable) * 5);
    },
    TIMEOUT_MS,
  );
});
