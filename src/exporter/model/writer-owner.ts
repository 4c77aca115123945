// Who owns a writer name of a shared dataset. A writer's runs replace its files, so two
// producers under one name would replace each other's rows: the first to publish under a name
// records itself as its owner, and any other producer is refused until it takes the name over.
import { z } from "zod";

/**
 * What identifies one producer of a writer's files: its host, and its inputs as given, made
 * absolute and sorted (not the files they resolve to, which rotation changes from run to run).
 * Nothing that changes with an upgrade of the tool is part of it.
 */
export const writerOwnerSchema = z.object({
  host: z.string().min(1),
  inputs: z.array(z.string()),
});

export type WriterOwner = z.infer<typeof writerOwnerSchema>;

/** The owner record a shared dataset keeps per writer (`.writers/<writer>.owner.json`). */
export const ownerRecordSchema = writerOwnerSchema.extend({
  /** 1. Later formats keep `host` and `inputs` as they are, so any version reads them. */
  owner_version: z.number().int(),
  writer: z.string(),
});

export type OwnerRecord = z.infer<typeof ownerRecordSchema>;

export const OWNER_VERSION = 1;

/** Whether two producers are one: same host, same inputs. */
export function sameOwner(a: WriterOwner, b: WriterOwner): boolean {
  return (
    a.host === b.host &&
    a.inputs.length === b.inputs.length &&
    a.inputs.every((input, i) => input === b.inputs[i])
  );
}

/** The options of an export into a shared dataset. */
export interface SharedWriterOptions {
  /**
   * With `partitionBy`: `output` is a dataset shared by several writers (hosts, processes), and
   * this run adds this writer's files to it, never removing another writer's. Each run replaces
   * this writer's previous files (an incremental run adds to them). Default: `output` is this
   * export's own directory, replaced as a whole. A name belongs to the producer (host and
   * inputs) that first published under it: another producer is refused (`output_conflict`).
   */
  readonly writer?: string | undefined;
  /** With `writer`: the host recorded as the writer's owner. Default: `os.hostname()`. */
  readonly host?: string | undefined;
  /**
   * With `writer`: take the name over from the producer that owns it (a host was replaced, the
   * inputs moved), recording this run's producer as its owner. Its files become this run's to
   * replace. Default `false`.
   */
  readonly takeOverWriter?: boolean | undefined;
}
