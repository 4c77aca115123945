export type { Catalog, TrackerOptions } from "./options.js";
export { DEFAULT_MAX_EVENT_BYTES } from "./options.js";
export type { RotateOptions, RotationFrequency } from "./rotation-options.js";
export type { RecordOptions, TimestampInput, TrackerStats } from "./tracker.js";
export { Tracker } from "./tracker.js";
