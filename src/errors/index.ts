export type { Issue, TelemetryErrorCode, TelemetryErrorOptions } from "./telemetry-error.js";
export { isTelemetryError, TelemetryError } from "./telemetry-error.js";
