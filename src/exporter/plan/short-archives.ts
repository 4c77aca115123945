import { createHash } from "node:crypto";
import { type FileIdentity, HEAD_BYTES } from "./file-identity.js";
import { linePrefixHashes, plainHead } from "./line-prefixes.js";

// A file of less than 4 KiB was hashed whole when it was read: its identity is everything it
// held, which a Tracker's lines (each with its millisecond timestamp) make its own. A file put back
// holds that content, byte for byte, or that content followed by lines written since. Content
// that is no identity is never matched: nothing read (an empty file, whose content every file
// starts with, or one without a whole line: nothing of it was exported), or content the run knows
// more than once (two archived files alike, or a file the run reads that holds it too: a producer
// writing the same line every day, whose next file is new, not one put back).

/** What a state remembers of an archived file (a match-state ReadMark, or any record like it). */
export interface ArchivedMark {
  readonly path: string;
  readonly offset: number;
  readonly identity: {
    readonly size: number;
    readonly head_bytes: number;
    readonly head_sha256: string;
  };
}

const contentKey = (bytes: number, sha256: string) => `${bytes}:${sha256}`;

/** Archived plain files of less than 4 KiB, by their whole content. */
export class ShortArchives<Mark extends ArchivedMark> {
  // null: content more than one archived file had, so no identity.
  private readonly byContent = new Map<string, Mark | null>();
  private readonly lineEnds = new Set<number>();
  private shortest = HEAD_BYTES;

  /** Adds `mark` if it is a short file with a line read; returns whether it did. */
  add(mark: Mark): boolean {
    const { size, head_bytes: bytes, head_sha256: sha256 } = mark.identity;
    if (bytes !== size || size >= HEAD_BYTES || mark.offset === 0) return false;
    const key = contentKey(bytes, sha256);
    this.byContent.set(key, this.byContent.has(key) ? null : mark);
    this.lineEnds.add(bytes);
    this.shortest = Math.min(this.shortest, bytes);
    return true;
  }

  get size(): number {
    return this.byContent.size;
  }

  /**
   * The archived file whose whole content the plain file at `path` (identified as `now`) starts
   * with, the longest if several, and that content's key; or undefined.
   */
  match(path: string, now: FileIdentity): { mark: Mark; key: string } | undefined {
    const exact = contentKey(now.head_bytes, now.head_sha256);
    const whole = now.size < HEAD_BYTES ? this.byContent.get(exact) : undefined;
    if (whole !== undefined) return whole === null ? undefined : { mark: whole, key: exact };
    // Lines written after it was put back: its content is a prefix ending at a line end.
    if (this.shortest >= now.size) return undefined;
    const head = plainHead(path, now.size);
    return head === undefined ? undefined : this.byPrefix(head);
  }

  /** {@link match} for content whose first (up to 4 KiB) bytes are `head` (a .gz's, decompressed). */
  matchHead(head: Buffer): { mark: Mark; key: string } | undefined {
    if (head.length < HEAD_BYTES) {
      const exact = contentKey(head.length, createHash("sha256").update(head).digest("hex"));
      const whole = this.byContent.get(exact);
      if (whole !== undefined) return whole === null ? undefined : { mark: whole, key: exact };
    }
    return this.byPrefix(head);
  }

  private byPrefix(head: Buffer): { mark: Mark; key: string } | undefined {
    // A line end at the head's own length is its whole content, already looked up: no match.
    const prefixes = [...linePrefixHashes(head, this.lineEnds)].reverse();
    for (const [bytes, sha256] of prefixes) {
      const key = contentKey(bytes, sha256);
      const mark = this.byContent.get(key);
      if (mark === null) return undefined;
      if (mark !== undefined) return { mark, key };
    }
    return undefined;
  }

  /** Whether a file other than `path` among `identities` holds exactly the content `key`. */
  static heldElsewhere(
    key: string,
    path: string,
    identities: ReadonlyMap<string, FileIdentity>,
  ): boolean {
    for (const [other, id] of identities) {
      if (
        other !== path &&
        id.size === id.head_bytes &&
        contentKey(id.size, id.head_sha256) === key
      ) {
        return true;
      }
    }
    return false;
  }
}

/**
 * The candidates holding each short content a match found. Only content one candidate alone
 * holds, and no other file the run reads, names a file put back.
 */
export class ShortHits<Mark extends ArchivedMark> {
  private readonly byKey = new Map<string, { mark: Mark; paths: string[] }>();

  add(hit: { mark: Mark; key: string }, path: string): void {
    const seen = this.byKey.get(hit.key);
    if (seen === undefined) this.byKey.set(hit.key, { mark: hit.mark, paths: [path] });
    else seen.paths.push(path);
  }

  /** Each archived mark whose content names one candidate, with that candidate. */
  *claims(identities: ReadonlyMap<string, FileIdentity>): Generator<{ mark: Mark; path: string }> {
    for (const [key, { mark, paths }] of this.byKey) {
      const [path] = paths;
      if (path === undefined || paths.length > 1) continue;
      if (ShortArchives.heldElsewhere(key, path, identities)) continue;
      yield { mark, path };
    }
  }
}
