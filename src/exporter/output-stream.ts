/**
 * What an export needs of a writable stream such as `process.stdout` or any Node `Writable`.
 * Structural on purpose: the public types then need no `@types/node` in the consuming app.
 */
export interface OutputStream {
  write(chunk: string | Uint8Array, callback: (error?: Error | null) => void): boolean;
  once(event: "drain", listener: () => void): unknown;
}
