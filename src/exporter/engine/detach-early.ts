/**
 * Detaches an ArrayBuffer made for the purpose, in a thread that will transfer buffers, before
 * its hot code is optimized. Until a thread first detaches an ArrayBuffer (transferring one
 * detaches it), V8 optimizes every typed array access as if none could ever be detached; the
 * first detachment throws all that code away, to be optimized again. A reader thread that moves
 * its columns to the Parquet writer, and the encoder's thread, which moves the row groups it
 * encodes, call it first: done this way, the Python JSON export took 0.95 of the time, before
 * its text became shared memory (BENCHMARKS.md, round seven). Threads that move nothing should
 * not call it: code optimized in a thread that never detached a buffer is faster (`aggregate`
 * took 1.08 of the time when its readers detached one).
 */
export function detachEarly(): void {
  const buffer = new ArrayBuffer(1);
  structuredClone(buffer, { transfer: [buffer] });
}
