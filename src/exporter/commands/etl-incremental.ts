import type { IncrementalOutcome, ReportOptions, ScanResult } from "../contracts.js";
import type { AggregateReport } from "../model/report-schema.js";
import { REPORT_VERSION } from "../model/report-version.js";
import { isOutput, matchState } from "../plan/match-state.js";
import { continuation } from "../plan/resume.js";
import type { RunPlan } from "../plan/run-plan.js";
import { planScan, scanBytes } from "../plan/scan-plan.js";
import { buildReport } from "../report/build-report.js";
import { FileTallies } from "../report/file-tallies.js";
import { renderReportHtml } from "../report/present/report-html.js";
import { JSON_ARRAY } from "../sinks/event-writer.js";
import { removeSpare, restoreReplaced } from "../sinks/keep-replaced.js";
import { AtomicFileSink } from "../sinks/output-sink.js";
import { readIntoSinks } from "../sinks/read-into-sinks.js";
import { ResumableJsonWriter } from "../sinks/resumable-json-writer.js";
import { SpareFileSink, type SpareMark } from "../sinks/spare-file-sink.js";
import { writeJsonFile, writeTextFile } from "../sinks/text-file.js";
import { checkEtlState } from "../state/check-state.js";
import { type EtlState, saveEtlState } from "../state/etl-state.js";
import { foldArchived, mergeFoldedTally, shiftFolded } from "../state/fold-archived.js";
import { OUTPUT_REVISION } from "../state/output-revision.js";
import type { RunLock } from "../state/run-lock.js";
import { namedArchives, readStateFile, runKey } from "../state/state-file.js";

/** Output paths of an ETL run. */
export interface EtlPaths {
  readonly events: string;
  readonly aggregates: string;
  readonly report: string;
  readonly state: string;
}

/**
 * The ETL, continuing from the state in the output directory: reads only the bytes appended
 * since the last run (and new files), and rewrites the outputs as a full run would write them.
 * Falls back to a full run, saying why, when the state is missing, unusable or contradicted.
 */
export async function runIncrementalEtl(
  run: RunPlan,
  paths: EtlPaths,
  lock: RunLock,
  options: ReportOptions & { readonly full: boolean },
): Promise<{ scan: ScanResult; report: AggregateReport; outcome: IncrementalOutcome }> {
  const read = run.read;
  const key = runKey("etl", read, { report: REPORT_VERSION, outputs: OUTPUT_REVISION });
  const found = await readStateFile<EtlState>(paths.state, key);
  let stored = checkEtlState(found, paths.events);
  // A run killed between replacing the events file and saving its state left the state
  // describing the file it replaced: that file is put back, and checked again in its place.
  if ("state" in stored && !options.full) {
    const recorded = stored.state.events_output.identity;
    const restored = await restoreReplaced(paths.events, (p) => isOutput(p, recorded));
    if (restored) stored = checkEtlState(found, paths.events);
  }
  const prior = options.full ? { reason: "`full` was given" } : stored;
  const resumed = await continuation(prior, read.resolved, (s: EtlState) =>
    matchState(s, read.resolved, paths.events),
  );
  const { state, reason, saved, identities, skips, unfinished, overtaken } = resumed;
  // Beyond the newest archived files, one entry per channel (fold-archived.ts).
  const { archived, folded } = foldArchived(
    resumed.archived,
    shiftFolded(state?.folded ?? [], resumed.shifts),
    mergeFoldedTally,
  );
  const sizes = new Map([...identities].map(([path, id]) => [path, id.size]));
  const { unidentified, gone } = resumed;
  const scanPlan = planScan(read, { saved, sizes, skips, identities, unidentified, gone });
  const tallies = new FileTallies(scanPlan, saved, archived, folded);
  // The last run's events of unfinished last lines sit after the committed prefix, to be read
  // again: with nothing to read now (their files deleted, say), the file is still rewritten
  // without them, or it would hold events the report no longer counts.
  const closedPrefix =
    state !== undefined &&
    state.events_output.identity.size ===
      state.events_output.committed_bytes +
        Buffer.byteLength(JSON_ARRAY.close(state.events_output.committed_events));
  const nothingNew = closedPrefix && scanPlan.segments.length === 0;
  const prefix =
    state === undefined
      ? { bytes: 0, events: 0 }
      : {
          bytes: state.events_output.committed_bytes,
          events: state.events_output.committed_events,
        };
  // Nothing appended: the events output is already what this run would write, so it stays.
  // Otherwise it continues the spare (the file the last run replaced) when it can, writing only
  // what is new, else a copy of the events file; either way the replaced file is the next spare.
  if (state === undefined) await removeSpare(paths.events);
  const spare = state?.events_output.spare;
  const sink = nothingNew
    ? undefined
    : state === undefined
      ? await AtomicFileSink.create(paths.events)
      : ((spare === undefined
          ? undefined
          : await SpareFileSink.open(paths.events, spare, prefix.bytes)) ??
        (await AtomicFileSink.createFrom(paths.events, prefix.bytes, { keepSpare: true })));
  const writer = sink === undefined ? undefined : new ResumableJsonWriter(sink, prefix);
  try {
    const consumers = writer === undefined ? [tallies] : [writer, tallies];
    const thisRun = await readIntoSinks(run, consumers, scanPlan);
    const { scan, counts } = tallies.assemble(read, scanPlan, thisRun);
    const report = buildReport(scan, counts, {
      generatedAt: options.now?.() ?? new Date(),
      filters: read.filters,
    });
    await lock.assertHeld();
    const committed = writer === undefined ? prefix : await writer.finish();
    // The events file this run wrote, as its handle saw it before the rename (another process
    // renaming its own file into place later must not be taken for it); unchanged: the one
    // the state already named, checked when the run began.
    const output = sink === undefined ? state?.events_output.identity : sink.written;
    // The replaced file holds the prefix this run continued, the first bytes of the new one.
    const replaced = state?.events_output.identity;
    const keptSpare: SpareMark | undefined =
      sink === undefined
        ? spare
        : sink.keptSpare && replaced !== undefined
          ? { identity: replaced, committed_bytes: prefix.bytes }
          : undefined;
    await writeJsonFile(paths.aggregates, report);
    await writeTextFile(paths.report, renderReportHtml(report));
    const errors = thisRun.files.map((f) => f.error);
    const planned = scanPlan.files;
    await saveEtlState(
      paths,
      key,
      { planned, committed: tallies.committed, errors, identities, saved, unidentified },
      { ...committed, output, spare: keptSpare },
      archived,
      folded,
    );
    const bytes = scanBytes(scanPlan, tallies.bytesRead);
    // A full run has only what exists: files archived by the state it replaces are gone.
    const named = namedArchives(stored, state === undefined ? undefined : { archived, folded });
    const torn = {
      ...(unfinished.length === 0 ? {} : { unfinished }),
      ...(overtaken.length === 0 ? {} : { overtaken }),
    };
    const again = writer === undefined ? 0 : writer.written - committed.events;
    const added = {
      ...bytes,
      eventsAdded: committed.events - prefix.events,
      ...(again === 0 ? {} : { eventsReadAgain: again }),
      ...(sink === undefined ? { eventsFileKept: true as const } : {}),
      ...named,
      ...torn,
    };
    const outcome: IncrementalOutcome =
      reason === undefined ? { mode: "incremental", ...added } : { mode: "full", reason, ...added };
    return { scan, report, outcome };
  } catch (error) {
    await writer?.abort().catch(() => undefined);
    throw error;
  }
}
