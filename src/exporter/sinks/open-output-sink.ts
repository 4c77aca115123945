import { DeviceSink } from "./device-sink.js";
import { AtomicFileSink, type OutputSink } from "./output-sink.js";
import { outputTarget } from "./output-target.js";

/**
 * The sink for an output file: a regular file (or a link's target) replaced atomically, or a
 * character device or FIFO written as a stream.
 */
export async function openOutputSink(target: string): Promise<OutputSink> {
  const resolved = await outputTarget(target);
  return resolved.kind === "stream"
    ? DeviceSink.open(resolved.path)
    : AtomicFileSink.create(resolved.path);
}
