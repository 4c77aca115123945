// An incremental ETL's outputs against a plain full run's over the same history.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { runEtl } from "../../src/exporter/index.js";
import { NOW } from "./event-lines.js";
import { tempDir } from "./temp-dir.js";

/** The events of a JSON export, each as its JSON text, sorted (order aside). */
export const sortedEvents = (path: string) =>
  (JSON.parse(readFileSync(path, "utf8")) as unknown[]).map((e) => JSON.stringify(e)).sort();

/**
 * Expects the incremental result to equal a full run over `history` (the inputs, or a copy that
 * still holds what retention deleted), apart from the directory's name and the archived marks.
 */
export async function expectSameAsFull(
  result: Awaited<ReturnType<typeof runEtl>>,
  input: string,
  history = input,
): Promise<void> {
  const full = await runEtl({ inputs: [history], outputDir: tempDir(), now: NOW });
  const plain = (report: unknown, dir: string) =>
    JSON.parse(JSON.stringify(report).replaceAll(dir, "IN").replaceAll(',"archived":true', ""));
  expect(plain(result.report, input)).toEqual(plain(full.report, history));
  expect(sortedEvents(result.eventsPath)).toEqual(sortedEvents(full.eventsPath));
}
