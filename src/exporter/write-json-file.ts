import { prepareOutput } from "./output-guard.js";
import { openOutputSink } from "./sinks/open-output-sink.js";

/** Writes text to `path` atomically, refusing a path that is one of the inputs. */
export async function writeTextFile(
  path: string,
  text: string,
  inputs: readonly string[] | undefined,
): Promise<void> {
  prepareOutput(path, inputs);
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
export function writeJsonFile(
  path: string,
  value: unknown,
  inputs: readonly string[] | undefined,
): Promise<void> {
  return writeTextFile(path, `${JSON.stringify(value, null, 2)}\n`, inputs);
}
