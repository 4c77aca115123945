import type { TelemetryEvent } from "../../schema/index.js";
import { TextEventWriter } from "./event-writer.js";

/** One JSON array of canonical events, one event per line (what `json.load` reads as a list). */
export class JsonArrayWriter extends TextEventWriter {
  event(event: TelemetryEvent): void {
    this.buffer += (this.count === 0 ? "[\n" : ",\n") + JSON.stringify(event);
    this.count++;
  }

  protected closing(): string {
    return this.count === 0 ? "[]\n" : "\n]\n";
  }
}
