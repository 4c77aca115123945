// A lock directory whose token file holds no text: its holder's name never reached the disk
// (the file is not fsynced before the rename that publishes it, so a power cut can leave it
// empty), or someone else's file sits there under a token's name. Nothing names a holder that
// could still run, so the lock is stale once silent for 30 s, like any lock naming no thread:
// it must then be broken, by the token file's own name, not stay forever. Nor may a stray file
// that is no token (put there by hand) keep every taker out.
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatStamp } from "../../src/tracker/segment-names.js";
import { runTs } from "../helpers/run-child.js";
import { tempDir } from "../helpers/temp-dir.js";

const TOKEN = "0123456789abcdef";
const HOUR_AGO = new Date(Date.now() - 3_600_000);

function plantLock(directory: string, name: string, text: string): void {
  const lock = join(directory, name);
  mkdirSync(lock);
  writeFileSync(join(lock, TOKEN), text);
  utimesSync(join(lock, TOKEN), HOUR_AGO, HOUR_AGO);
  utimesSync(lock, HOUR_AGO, HOUR_AGO);
}

const line = (i: number) =>
  `${JSON.stringify({ schema_version: 1, channel: "user", event: "old", timestamp: "2025-03-01T00:00:00.000Z", payload: { i } })}\n`;

describe("a lock whose token file names no holder, silent for an hour", () => {
  it.each(["", "garbage", `${TOKEN}\n`])(
    "rotation lock holding %j: broken, the file rotates",
    async (text) => {
      const directory = tempDir();
      writeFileSync(join(directory, "user.jsonl"), line(0));
      plantLock(directory, ".user.rotate-lock", text);
      const args = [directory, JSON.stringify({ size: 1 }), "3", "0"];
      const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ rotated: 3, errors: 0 });
      expect(readdirSync(directory).filter((name) => name.startsWith("."))).toEqual([]);
    },
  );

  it.each(["", "garbage"])("maintenance lock holding %j: broken, retention runs", async (text) => {
    const directory = tempDir();
    for (let i = 0; i < 3; i++) {
      const name = `user.${formatStamp(Date.UTC(2025, 2, 1, i))}.jsonl`;
      writeFileSync(join(directory, name), line(i));
    }
    plantLock(directory, ".user.maintain-lock", text);
    const rotate = { size: 1 << 20, maxSegments: 1, graceMs: 0 };
    const args = [directory, JSON.stringify(rotate), "1", "2"];
    const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ removed: 2, errors: 0 });
  });

  it.each(["README", "backup.d", `${TOKEN}.d`])(
    "rotation lock holding a stray %j, no token: it goes, the file rotates",
    async (stray) => {
      const directory = tempDir();
      writeFileSync(join(directory, "user.jsonl"), line(0));
      const lock = join(directory, ".user.rotate-lock");
      mkdirSync(lock);
      // A directory under a token's name too: no holder's file, so no holder.
      const name = stray === `${TOKEN}.d` ? TOKEN : stray;
      if (stray.endsWith(".d")) mkdirSync(join(lock, name));
      else writeFileSync(join(lock, name), "notes");
      utimesSync(lock, HOUR_AGO, HOUR_AGO);
      const args = [directory, JSON.stringify({ size: 1 }), "3", "0"];
      const result = await runTs("test/fixtures/processes/record-after-restart.ts", args);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ rotated: 3, errors: 0 });
      expect(readdirSync(directory).filter((name) => name.startsWith("."))).toEqual([]);
    },
  );
});
