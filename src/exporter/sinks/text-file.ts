import { openOutputSink } from "./open-output-sink.js";

/** Writes text to `path` atomically (the run's plan has checked the path). */
export async function writeTextFile(path: string, text: string): Promise<void> {
  const sink = await openOutputSink(path);
  try {
    await sink.write(text);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** Writes a value as pretty-printed JSON, atomically. */
export function writeJsonFile(path: string, value: unknown): Promise<void> {
  return writeTextFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
