/** A written file's identity, taken from the handle that wrote it, before it was renamed. */
export interface WrittenIdentity {
  readonly dev: string;
  readonly ino: string;
  readonly size: number;
  readonly mtime_ms: number;
}
