import { join } from "node:path";
import { TelemetryError } from "../../errors/index.js";
import {
  DEFAULT_OUTPUT_DIR,
  ETL_FILES,
  type EtlOptions,
  type EtlResult,
  type ScanResult,
} from "../contracts.js";
import { CountsConsumer } from "../engine/counts-consumer.js";
import type { AggregateReport } from "../model/report-schema.js";
import { checkApiOptions } from "../plan/api-options.js";
import { planFull } from "../plan/full-option.js";
import { planLockWait } from "../plan/lock-wait.js";
import type { OutputRequest } from "../plan/output-checks.js";
import { type EngineTuning, planRun, type RunPlan } from "../plan/run-plan.js";
import { buildReport } from "../report/build-report.js";
import { renderReportHtml } from "../report/present/report-html.js";
import { TextEventWriter } from "../sinks/event-writer.js";
import { openSink } from "../sinks/open-sink.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { writeJsonFile, writeTextFile } from "../sinks/text-file.js";
import { ETL_LOCK_FILE, withRunLock } from "../state/output-lock.js";
import type { RunLock } from "../state/run-lock.js";

const file = (path: string): OutputRequest => ({ path, kind: "file", option: ["outputDir"] });

interface EtlPaths {
  readonly events: string;
  readonly aggregates: string;
  readonly report: string;
}

/**
 * The JSON export, the aggregate report and its HTML rendering from one pass over the inputs.
 * Each file is written atomically; if the read fails, all previous files stay as they were.
 * The run holds the output directory's lock throughout (state read, outputs written, state
 * saved), so runs on one directory never interleave.
 */
export async function runEtl(options: EtlOptions = {}, tuning?: EngineTuning): Promise<EtlResult> {
  checkApiOptions("etl", options);
  const dir = options.outputDir ?? DEFAULT_OUTPUT_DIR;
  // "-" means stdout to a CLI; here it would be a directory named "-": refused, never guessed.
  if (dir === "-") {
    throw new TelemetryError(
      "usage",
      '`outputDir` "-" names no directory; give a path (the three files are written there, never to standard output)',
      { path: ["outputDir"] },
    );
  }
  const eventsPath = join(dir, ETL_FILES.events);
  const aggregatesPath = join(dir, ETL_FILES.aggregates);
  const reportPath = join(dir, ETL_FILES.report);
  // An empty directory would put the files in the working directory: refused as empty.
  const outputs =
    dir === "" ? [file(dir)] : [file(aggregatesPath), file(reportPath), file(eventsPath)];
  const waitMs = planLockWait(options.lockWaitMs);
  const full = planFull(options);
  const lockPath = join(dir, ETL_LOCK_FILE);
  const runFiles = [{ path: lockPath, what: "lock file" }];
  const paths = { events: eventsPath, aggregates: aggregatesPath, report: reportPath };
  const result = { eventsPath, aggregatesPath, reportPath };
  if (options.incremental === true) {
    // Loaded only here: a full run needs none of the state and resume code.
    const { STATE_FILE } = await import("../state/etl-state.js");
    const { runIncrementalEtl } = await import("./etl-incremental.js");
    const state = join(dir, STATE_FILE);
    const run = planRun(options, [...outputs, file(state)], {
      incremental: true,
      tuning,
      runFiles,
    });
    const guarded = [eventsPath, aggregatesPath, reportPath, state];
    return withRunLock(lockPath, waitMs, guarded, async (lock) => {
      const { scan, report, outcome } = await runIncrementalEtl(run, { ...paths, state }, lock, {
        now: options.now,
        full,
      });
      return { scan, report, ...result, incremental: outcome };
    });
  }
  const run = planRun(options, outputs, { tuning, runFiles });
  const guarded = [eventsPath, aggregatesPath, reportPath];
  return withRunLock(lockPath, waitMs, guarded, async (lock) => ({
    ...(await fullEtl(run, paths, lock, options.now)),
    ...result,
  }));
}

async function fullEtl(
  run: RunPlan,
  paths: EtlPaths,
  lock: RunLock,
  now: (() => Date) | undefined,
): Promise<{ scan: ScanResult; report: AggregateReport }> {
  const writer = new TextEventWriter(await openSink(paths.events, "json"), "json");
  try {
    const counts = new CountsConsumer();
    const scan = await readIntoSinks(run, [writer, counts]);
    const report = buildReport(scan, [counts.counts], {
      generatedAt: now?.() ?? new Date(),
      filters: run.read.filters,
    });
    await lock.assertHeld();
    await writer.finish();
    await writeJsonFile(paths.aggregates, report);
    await writeTextFile(paths.report, renderReportHtml(report));
    return { scan, report };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
}
