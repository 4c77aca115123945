import { buildReport } from "../build-report.js";
import { DiagnosticLog } from "../diagnostics.js";
import { EventCounts } from "../engine/event-counts.js";
import type { PlannedFile } from "../engine/plan-segments.js";
import type { SegmentResult } from "../engine/segment.js";
import { hasFilters } from "../filters.js";
import { AtomicFileSink, type WrittenIdentity } from "../output-sink.js";
import { renderReportHtml } from "../present/report-html.js";
import type { AggregateReport, FileInventory } from "../report-schema.js";
import { REPORT_VERSION } from "../report-version.js";
import { resolveInputs } from "../resolve-inputs.js";
import type { EtlOptions } from "../run-etl.js";
import { missingInput, type ScanResult, sumTotals } from "../scan.js";
import { scanInto } from "../scan-into.js";
import type { RunLock } from "../state/run-lock.js";
import { writeJsonFile, writeTextFile } from "../write-json-file.js";
import { type EtlState, type FileState, removeEtlState, writeEtlState } from "./etl-state.js";
import type { FileIdentity } from "./file-identity.js";
import { FileTally } from "./file-tally.js";
import { matchState } from "./match-state.js";
import { ResumableJsonWriter } from "./resumable-json-writer.js";
import { checkIncrementalOptions, continuation, Resume } from "./resume.js";
import { readStateFile, runKey } from "./state-file.js";

/** What an incremental run did. */
export interface IncrementalOutcome {
  /** `incremental` when the state was continued; `full` when every file was read from the start. */
  readonly mode: "full" | "incremental";
  /** Why a full run was done. */
  readonly reason?: string;
  /** Bytes read in this run, and the inputs' total size. */
  readonly bytesRead: number;
  readonly bytesTotal: number;
}

/** Output paths of an ETL run. */
export interface EtlPaths {
  readonly events: string;
  readonly aggregates: string;
  readonly report: string;
  readonly state: string;
}

/** Per input file: the tally of its complete lines (saved as state) and of its last, unfinished line. */
class TallyConsumer {
  readonly want = { counts: true };
  committed: FileTally[] = [];
  tails: (FileTally | undefined)[] = [];
  private lineBase: number[] = [];

  constructor(private readonly saved: ReadonlyMap<string, FileState>) {}

  plan(files: readonly PlannedFile[]): void {
    this.committed = files.map((f) => {
      const state = this.saved.get(f.path);
      return state === undefined ? new FileTally() : FileTally.restore(state.tally);
    });
    this.tails = files.map(() => undefined);
    this.lineBase = files.map((f) => this.saved.get(f.path)?.lines ?? 0);
  }

  accept(result: SegmentResult, tail: boolean): void {
    const i = result.fileIndex;
    const base = this.lineBase[i] as number;
    this.lineBase[i] = base + result.lines;
    if (!tail) {
      (this.committed[i] as FileTally).add(result, base);
      return;
    }
    const tally = new FileTally();
    tally.add(result, base);
    this.tails[i] = tally;
  }
}

function assemble(
  inputs: readonly string[],
  missing: readonly string[],
  planned: readonly PlannedFile[],
  tallies: readonly FileTally[],
  errors: readonly (string | undefined)[],
  filtered: boolean,
): { scan: ScanResult; counts: EventCounts } {
  const log = new DiagnosticLog(false, undefined);
  for (const path of missing) log.add(missingInput(path));
  const counts = new EventCounts();
  const files: FileInventory[] = [];
  planned.forEach((file, i) => {
    const tally = tallies[i] as FileTally;
    log.absorb(tally.log);
    counts.merge(tally.events.entries(), [...tally.events.versions]);
    files.push(tally.inventory(file.path, file.bytes, errors[i]));
  });
  return {
    scan: { inputs, files, missing, totals: sumTotals(files), filtered, diagnostics: log },
    counts,
  };
}

/**
 * The ETL, continuing from the state in the output directory: reads only the bytes appended
 * since the last run (and new files), and rewrites the outputs as a full run would write them.
 * Falls back to a full run, saying why, when the state is missing, unusable or contradicted.
 */
export async function runIncrementalEtl(
  options: EtlOptions,
  paths: EtlPaths,
  lock: RunLock,
): Promise<{ scan: ScanResult; report: AggregateReport; outcome: IncrementalOutcome }> {
  checkIncrementalOptions(options);
  const { inputs, key } = runKey("etl", options, { report: REPORT_VERSION });
  const resolved = resolveInputs(inputs);
  const prior =
    options.full === true ? { reason: "--full" } : await readStateFile<EtlState>(paths.state, key);
  const { state, reason, saved, identities } = continuation(prior, resolved, (s: EtlState) =>
    matchState(s, resolved, paths.events),
  );
  const tallies = new TallyConsumer(saved);
  const resume = new Resume(resolved, saved, identities, (files) => tallies.plan(files));
  const nothingNew =
    state !== undefined &&
    resolved.files.every((path) => {
      const mark = saved.get(path);
      return (
        mark !== undefined && (path.endsWith(".gz") || mark.offset === identities.get(path)?.size)
      );
    });
  const prefix =
    state === undefined
      ? { bytes: 0, events: 0 }
      : {
          bytes: state.events_output.committed_bytes,
          events: state.events_output.committed_events,
        };
  // Nothing appended: the events output is already what this run would write, so it stays.
  const sink = nothingNew
    ? undefined
    : state === undefined
      ? await AtomicFileSink.create(paths.events)
      : await AtomicFileSink.createFrom(paths.events, prefix.bytes);
  const writer =
    sink === undefined ? undefined : new ResumableJsonWriter(sink, prefix, resume.isTail);
  const consumer = {
    want: { counts: true },
    accept: (r: SegmentResult) => tallies.accept(r, resume.isTail(r)),
  };
  try {
    const read = await scanInto(
      options,
      writer === undefined ? [consumer] : [writer, consumer],
      resume.options,
    );
    const planned = resume.files;
    const errors = read.files.map((f) => f.error);
    const whole = tallies.committed.map((c, i) => {
      const tail = tallies.tails[i];
      return tail === undefined ? c : c.plus(tail);
    });
    const { scan, counts } = assemble(
      inputs,
      resolved.missing,
      planned,
      whole,
      errors,
      hasFilters(options.filters),
    );
    const report = buildReport(scan, counts, options, options.filters);
    await lock.assertHeld();
    const committed = writer === undefined ? prefix : await writer.finish();
    // The events file this run wrote, as its handle saw it before the rename (another process
    // renaming its own file into place later must not be taken for it); unchanged: the one
    // the state already named, checked when the run began.
    const output = sink === undefined ? state?.events_output.identity : sink.written;
    await writeJsonFile(paths.aggregates, report, inputs);
    await writeTextFile(paths.report, renderReportHtml(report), inputs);
    await saveState(
      paths,
      key,
      { inputs, planned, errors, identities, output },
      tallies,
      committed,
    );
    const { bytesRead, bytesTotal } = resume.bytes();
    const outcome: IncrementalOutcome =
      reason === undefined
        ? { mode: "incremental", bytesRead, bytesTotal }
        : { mode: "full", reason, bytesRead, bytesTotal };
    return { scan, report, outcome };
  } catch (error) {
    await writer?.abort().catch(() => undefined);
    throw error;
  }
}

// Written only after every output it describes is in place; a file that could not be read to
// its end leaves no state, so the next run starts over rather than trust a partial read.
async function saveState(
  paths: EtlPaths,
  key: string,
  run: {
    inputs: readonly string[];
    planned: readonly PlannedFile[];
    errors: readonly (string | undefined)[];
    identities: ReadonlyMap<string, FileIdentity>;
    output: WrittenIdentity | undefined;
  },
  tallies: TallyConsumer,
  prefix: { bytes: number; events: number },
): Promise<void> {
  const { planned, errors, identities, output } = run;
  if (errors.some((e) => e !== undefined) || output === undefined) {
    await removeEtlState(paths.state);
    return;
  }
  const files: FileState[] = [];
  for (const [i, file] of planned.entries()) {
    const identity = identities.get(file.path);
    const tally = tallies.committed[i] as FileTally;
    if (identity === undefined) {
      await removeEtlState(paths.state);
      return;
    }
    files.push({
      path: file.path,
      identity,
      offset: file.committedEnd ?? file.bytes,
      lines: tally.counters.lines,
      tally: tally.save(),
    });
  }
  await writeEtlState(
    paths.state,
    key,
    {
      events_output: {
        identity: output,
        committed_bytes: prefix.bytes,
        committed_events: prefix.events,
      },
      files,
    },
    run.inputs,
  );
}
