import type { TelemetryError } from "../errors/index.js";
import { callOnError } from "./call-on-error.js";

/**
 * Where a tracker's I/O failures go: counted, then told to the host's `onError`, or, without
 * one, warned about once (a process warning). While a flush writes every channel they are held
 * and told after it ({@link hold}), so that an `onError` that ends the process
 * (`process.exit(1)`) cannot leave the rest unwritten.
 */
export class FailureReports {
  private warned = false;
  private held: TelemetryError[] | undefined;

  constructor(
    private readonly onError: ((error: TelemetryError) => unknown) | undefined,
    private readonly count: () => void,
  ) {}

  report(error: TelemetryError): void {
    if (this.held !== undefined) {
      this.held.push(error);
      return;
    }
    this.count();
    if (this.onError !== undefined) {
      callOnError(this.onError, error);
    } else if (!this.warned) {
      this.warned = true;
      process.emitWarning(error.message, { code: "TELEMETRY_IO_ERROR" });
    }
  }

  /** Runs `work` with failures held; returns what tells them. */
  hold(work: () => void): () => void {
    const failures: TelemetryError[] = [];
    this.held = failures;
    try {
      work();
    } finally {
      this.held = undefined;
    }
    return () => {
      for (const error of failures) this.report(error);
    };
  }
}
