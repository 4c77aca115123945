import type { TelemetryEvent } from "../../schema/index.js";
import { TextEventWriter } from "./event-writer.js";

/** JSON Lines: one canonical event per line, the Tracker's own format. */
export class JsonlWriter extends TextEventWriter {
  event(event: TelemetryEvent): void {
    this.buffer += `${JSON.stringify(event)}\n`;
    this.count++;
  }

  protected closing(): string {
    return "";
  }
}
