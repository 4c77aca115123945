import type { Diagnostic } from "./diagnostics.js";
import type { EventFilters } from "./filters.js";

/** How far a read has got, for progress displays. */
export interface ScanProgress {
  readonly bytesRead: number;
  readonly totalBytes: number;
  readonly lines: number;
  readonly events: number;
}

/** Options shared by every exporter operation that reads inputs. */
export interface ReadOptions {
  /** Directories, files or globs. Default `["reports/telemetry"]`. */
  readonly inputs?: readonly string[] | undefined;
  /** Stop at the first invalid line (or missing input) with a `TelemetryError`. Default `false`. */
  readonly strict?: boolean | undefined;
  /** Longest line read, in bytes; longer lines are `line_too_long`. Default 1 MiB. */
  readonly maxLineBytes?: number | undefined;
  /** Which valid events to keep. Default: all. */
  readonly filters?: EventFilters | undefined;
  /** Called with every diagnostic as it is found. */
  readonly onDiagnostic?: ((diagnostic: Diagnostic) => void) | undefined;
  /** Called after every chunk read. */
  readonly onProgress?: ((progress: ScanProgress) => void) | undefined;
}
