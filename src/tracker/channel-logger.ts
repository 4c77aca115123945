import pino, { type Logger } from "pino";
import { SCHEMA_VERSION_V1 } from "../schema/index.js";
import type { ChannelFile } from "./channel-file.js";

/**
 * The pino logger that writes one channel's events into `file`: schema_version (the level
 * formatter), channel (base), then what each call gives, the canonical key order. pino's own
 * fallback for a value JSON.stringify throws on is replaced by the file's, which refuses the
 * line (see ChannelFile.refuseUnserializable).
 */
export function channelLogger(channel: string, file: ChannelFile): Logger {
  const logger = pino(
    {
      base: { channel },
      timestamp: false,
      formatters: { level: () => ({ schema_version: SCHEMA_VERSION_V1 }) },
    },
    file,
  );
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.stringifySafeSym] =
    file.refuseUnserializable;
  return logger;
}
