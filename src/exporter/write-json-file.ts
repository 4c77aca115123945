import { prepareOutput } from "./output-guard.js";
import { AtomicFileSink } from "./output-sink.js";

/** Writes a value as pretty-printed JSON, atomically. */
export async function writeJsonFile(
  path: string,
  value: unknown,
  inputs: readonly string[] | undefined,
): Promise<void> {
  prepareOutput(path, inputs);
  const sink = await AtomicFileSink.create(path);
  try {
    await sink.write(`${JSON.stringify(value, null, 2)}\n`);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
