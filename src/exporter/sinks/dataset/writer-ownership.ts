import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TelemetryError } from "../../../errors/index.js";
import {
  OWNER_VERSION,
  type OwnerRecord,
  ownerRecordSchema,
  sameOwner,
  type WriterOwner,
} from "../../model/writer-owner.js";
import type { WriterClaim } from "../../plan/writer-plan.js";
import { filesOf, linkFile, type SharedDataset } from "./shared-dataset.js";
import { writeSyncedFile } from "./write-synced-file.js";

// A writer's runs replace its files: two producers under one name would replace each other's
// rows, silently. So a name belongs to the producer that first published under it, recorded in
// the dataset beside the writer's state; the record travels with every version (exports and
// compaction link every file they do not replace), so it is as durable as the data.

/** Where a shared dataset records a writer's owner (readers glob `*.parquet` only). */
export function ownerRecordPath(writer: string): string {
  return join(".writers", `${writer}.owner.json`);
}

/** What a version records of a writer's owner. */
export type OwnerFound =
  | { readonly kind: "none" }
  | { readonly kind: "owner"; readonly owner: WriterOwner }
  | { readonly kind: "unreadable"; readonly reason: string };

/** The owner `version` records for `writer` (none: a new name, or one written before owners). */
export async function readOwner(version: string | undefined, writer: string): Promise<OwnerFound> {
  if (version === undefined) return { kind: "none" };
  let text: string;
  try {
    text = await readFile(join(version, ownerRecordPath(writer)), "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    return code === "ENOENT" ? { kind: "none" } : { kind: "unreadable", reason: code };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "unreadable", reason: "not JSON" };
  }
  const parsed = ownerRecordSchema.safeParse(value, { jitless: true });
  if (!parsed.success) return { kind: "unreadable", reason: "not an owner record" };
  return { kind: "owner", owner: { host: parsed.data.host, inputs: parsed.data.inputs } };
}

const isOwner = (found: OwnerFound, owner: WriterOwner) =>
  found.kind === "owner" && sameOwner(found.owner, owner);

const describe = (owner: WriterOwner) => `host ${owner.host} reading ${owner.inputs.join(", ")}`;

function refusal(
  target: string,
  claim: WriterClaim,
  found: Exclude<OwnerFound, { kind: "none" }>,
): TelemetryError {
  const { writer, owner } = claim;
  const whose =
    found.kind === "owner"
      ? `belongs to another producer (${describe(found.owner)}); this run (${describe(owner)}) would replace that producer's files`
      : `has an owner record that cannot be read (${join(target, ownerRecordPath(writer))}: ${found.reason})`;
  return new TelemetryError(
    "output_conflict",
    `writer ${writer} of ${target} ${whose}; nothing was written. Give this producer its own \`writer\` name, or take the name over with \`takeOverWriter\` (its files then become this producer's to replace)`,
    { path: ["writer"] },
  );
}

/** Writes this run's owner record into `next`, a version being built. */
export async function recordOwner(next: string, claim: WriterClaim): Promise<void> {
  const record: OwnerRecord = {
    owner_version: OWNER_VERSION,
    writer: claim.writer,
    ...claim.owner,
  };
  await writeSyncedFile(
    join(next, ownerRecordPath(claim.writer)),
    Buffer.from(`${JSON.stringify(record)}\n`),
  );
}

/**
 * Checked under the dataset's lock as a run of `claim` commits: the name must still be its
 * producer's (or no one's). A takeover while the run read would otherwise lose it the name.
 */
export async function assertStillOwner(
  dataset: SharedDataset,
  current: string | undefined,
  claim: WriterClaim,
  takingFrom?: WriterOwner,
): Promise<void> {
  const found = await readOwner(current, claim.writer);
  if (found.kind === "none" || isOwner(found, claim.owner)) return;
  // A takeover is recorded with its run's commit: the owner must still be the one it took over.
  if (takingFrom !== undefined && isOwner(found, takingFrom)) return;
  const by =
    found.kind === "owner" ? describe(found.owner) : "a producer whose record cannot be read";
  throw new TelemetryError(
    "output_conflict",
    `writer ${claim.writer} of ${dataset.target} was taken over by ${by} while this run ran; nothing was committed`,
    { path: ["writer"] },
  );
}

/**
 * Makes sure the name is this producer's before a run writes anything: refused when another
 * producer owns it (unless `takeOver`); recorded, in a version of its own, when no one does yet
 * (a new name, or a dataset written before owners were recorded) or when its record cannot be
 * read. Checked again under the dataset's lock, so of two producers claiming one name at once,
 * one is refused. A name another producer owns is taken over with the run's commit (see
 * {@link assertStillOwner}), not before: a takeover run that fails leaves it its owner's.
 * Returns the producer taken over from, if any.
 */
export async function claimWriter(
  dataset: SharedDataset,
  claim: WriterClaim,
): Promise<WriterOwner | undefined> {
  const seen = await readOwner(dataset.opened, claim.writer);
  if (isOwner(seen, claim.owner)) return undefined;
  if (seen.kind !== "none" && !claim.takeOver) throw refusal(dataset.target, claim, seen);
  if (seen.kind === "owner") return seen.owner;
  let previous: WriterOwner | undefined;
  const record = ownerRecordPath(claim.writer);
  dataset.opened = await dataset.publish(async (current, next) => {
    const found = await readOwner(current, claim.writer);
    if (isOwner(found, claim.owner)) return false;
    if (found.kind !== "none" && !claim.takeOver) throw refusal(dataset.target, claim, found);
    if (found.kind === "owner") {
      previous = found.owner;
      return false;
    }
    if (current !== undefined) {
      for (const file of await filesOf(current)) {
        if (file !== record) await linkFile(join(current, file), join(next, file));
      }
    }
    await recordOwner(next, claim);
    return true;
  });
  return previous;
}
