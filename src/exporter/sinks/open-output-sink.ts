import { DescriptorSink } from "./descriptor-sink.js";
import { DeviceSink } from "./device-sink.js";
import { removeStaleTempFiles } from "./leftover-temps.js";
import { AtomicFileSink, type OutputSink } from "./output-sink.js";
import { outputTarget } from "./output-target.js";

/**
 * The sink for an output file: a regular file (or a link's target) replaced atomically, or a
 * character device or FIFO written as a stream, or a descriptor of this process (`/dev/stdout`).
 */
export async function openOutputSink(target: string): Promise<OutputSink> {
  const resolved = await outputTarget(target);
  if (resolved.kind === "descriptor") return DescriptorSink.open(resolved.path, resolved.fd);
  if (resolved.kind === "stream") return DeviceSink.open(resolved.path, resolved.append === true);
  // Most file outputs are written without a lock (an ETL's are under its own): what killed runs
  // left beside one goes once it is stale.
  await removeStaleTempFiles(resolved.path);
  return AtomicFileSink.create(resolved.path);
}
