export type { Issue, TelemetryErrorCode, TelemetryErrorOptions } from "./errors/index.js";
export { isTelemetryError, TelemetryError } from "./errors/index.js";
export * from "./schema/index.js";
export type {
  Catalog,
  RecordOptions,
  RotateOptions,
  RotationFrequency,
  TimestampInput,
  TrackerOptions,
  TrackerStats,
} from "./tracker/index.js";
export { DEFAULT_MAX_EVENT_BYTES, Tracker } from "./tracker/index.js";
