/** Something holding an open file descriptor that a {@link HandlePool} may ask to close. */
export interface PooledHandle {
  /** Closes the descriptor; the owner reopens it at its next write. */
  releaseHandle(): void;
}

/** Default `maxOpenFiles`: enough for every channel of a typical application to stay open. */
export const DEFAULT_MAX_OPEN_FILES = 64;

/**
 * Bounds the descriptors a tracker keeps open: the least recently written channel file is
 * closed when one more would go over the limit. Without it, a tracker with many channels takes
 * every descriptor the process has, and the host's own `open()` fails with EMFILE.
 */
export class HandlePool {
  // A Set iterates in insertion order: re-adding on use keeps the oldest first.
  private readonly open = new Set<PooledHandle>();
  private newest: PooledHandle | undefined;

  constructor(private readonly max: number) {}

  /** Marks `handle` (just opened or written) as most recently used; may close the oldest. */
  use(handle: PooledHandle): void {
    // One channel written again and again is the common case: no reordering needed.
    if (handle === this.newest) return;
    this.open.delete(handle);
    this.open.add(handle);
    this.newest = handle;
    for (const oldest of this.open) {
      if (this.open.size <= this.max) break;
      this.open.delete(oldest);
      oldest.releaseHandle();
    }
  }

  /** Forgets `handle`, whose owner closed it. */
  forget(handle: PooledHandle): void {
    this.open.delete(handle);
    if (this.newest === handle) this.newest = undefined;
  }

  /**
   * Closes every handle except `keep`: the process ran out of descriptors (EMFILE), so ours are
   * given back before one more open is tried.
   */
  releaseAllExcept(keep: PooledHandle): void {
    for (const handle of [...this.open]) {
      if (handle === keep) continue;
      this.open.delete(handle);
      handle.releaseHandle();
    }
    if (this.newest !== keep) this.newest = undefined;
  }
}
