/**
 * Detaches an ArrayBuffer made for the purpose, in a thread that will transfer buffers, before
 * its hot code is optimized. Until a thread first detaches an ArrayBuffer (transferring one
 * detaches it), V8 optimizes every typed array access as if none could ever be detached; the
 * first detachment throws all that code away, to be optimized again. The Parquet encoder's
 * thread, which transfers each row group it encodes, calls it at start. Reader threads transfer
 * nothing instead (see sharedBuffer): code optimized in a thread that never detached a buffer is
 * faster (`aggregate` took 1.08 of the time when its readers detached one, BENCHMARKS.md, round
 * seven).
 */
export function detachEarly(): void {
  const buffer = new ArrayBuffer(1);
  structuredClone(buffer, { transfer: [buffer] });
}
