import { hostname } from "node:os";
import { resolve } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import type { SharedWriterOptions, WriterOwner } from "../model/writer-owner.js";

/** A writer's name: safe as a file-name suffix, never hidden (`.`) or special (`_`). */
export const WRITER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

// Host names are shown in errors and kept in a JSON record: any text but control characters.
const HOST_NAME = /^[^\p{Cc}]{1,255}$/u;

/** How a run of a shared dataset's writer claims its name. */
export interface WriterClaim {
  readonly writer: string;
  /** This run's producer, recorded as the name's owner when it publishes. */
  readonly owner: WriterOwner;
  /** Whether the run may take the name over from another producer. */
  readonly takeOver: boolean;
}

function usage(message: string, path: string): TelemetryError {
  return new TelemetryError("usage", message, { path: [path] });
}

/** Checks the shared-writer options; returns the writer's name (undefined: none). */
export function checkWriterOptions(options: SharedWriterOptions): string | undefined {
  const { writer, host, takeOverWriter } = options;
  if (writer !== undefined && (typeof writer !== "string" || !WRITER_NAME.test(writer))) {
    throw usage(
      "`writer` must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
      "writer",
    );
  }
  if (host !== undefined && (typeof host !== "string" || !HOST_NAME.test(host))) {
    throw usage("`host` must be 1 to 255 characters, none of them a control character", "host");
  }
  if (writer === undefined && host !== undefined) {
    throw usage("`host` needs `writer` (it names the host a writer runs on)", "host");
  }
  if (writer === undefined && takeOverWriter === true) {
    throw usage("`takeOverWriter` needs `writer` (the name to take over)", "takeOverWriter");
  }
  return writer;
}

/**
 * The claim of a writer's run: its producer is its host (default: this machine's name) and its
 * inputs as given (the default applied), absolute and sorted, so that `-i a -i b` from one
 * directory and `-i /abs/b -i /abs/a` from another are one producer.
 */
export function planWriterClaim(
  writer: string,
  options: SharedWriterOptions,
  inputs: readonly string[],
): WriterClaim {
  const absolute = [...new Set(inputs.map((input) => resolve(input)))].sort();
  return {
    writer,
    owner: { host: options.host ?? (hostname() || "localhost"), inputs: absolute },
    takeOver: options.takeOverWriter === true,
  };
}
