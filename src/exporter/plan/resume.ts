import { TelemetryError } from "../../errors/index.js";
import type { FileIdentity } from "./file-identity.js";
import { identifyInputs, type ReadMark, type StateMatch } from "./match-state.js";
import type { PlannedFile, ResumePlan } from "./plan-segments.js";
import type { ResolvedInputs } from "./resolve-inputs.js";

/** What incremental runs pass in: the inputs as already listed, and where to resume each file. */
export interface ResumeOptions {
  readonly resolved: ResolvedInputs;
  readonly plan: ResumePlan;
  /** Lines before each file's start offset, so diagnostics keep their line numbers. */
  readonly lineBase: ReadonlyMap<string, number>;
  /** Receives the plan: per file, where reading started and where its complete lines end. */
  readonly onPlan?: (files: readonly PlannedFile[]) => void;
}

/**
 * Where the scan of an incremental run starts and stops: each known file at its saved offset
 * (and line count), every file up to the size it had when the run began.
 */
export class Resume {
  private planned: readonly PlannedFile[] = [];
  readonly options: ResumeOptions;

  constructor(
    resolved: ResolvedInputs,
    saved: ReadonlyMap<string, ReadMark>,
    identities: ReadonlyMap<string, FileIdentity>,
    onPlan?: (files: readonly PlannedFile[]) => void,
  ) {
    const starts = new Map<string, number>();
    const lineBase = new Map<string, number>();
    for (const [path, mark] of saved) {
      starts.set(path, mark.offset);
      lineBase.set(path, mark.lines);
    }
    const ends = new Map([...identities].map(([path, id]) => [path, id.size]));
    this.options = {
      resolved,
      plan: { starts, ends },
      lineBase,
      onPlan: (files) => {
        this.planned = files;
        onPlan?.(files);
      },
    };
  }

  /** The files as planned (available once the scan has started). */
  get files(): readonly PlannedFile[] {
    return this.planned;
  }

  /** Whether a result is a file's unfinished last line (bytes after its last "\n"). */
  readonly isTail = (result: { readonly fileIndex: number; readonly start: number }): boolean => {
    const file = this.planned[result.fileIndex];
    return (
      file?.committedEnd !== undefined &&
      result.start === file.committedEnd &&
      file.committedEnd < file.bytes
    );
  };

  /** Bytes read in this run, and the inputs' total size. */
  bytes(): { bytesRead: number; bytesTotal: number } {
    return {
      bytesRead: this.planned.reduce((n, f) => n + f.bytes - (f.start ?? 0), 0),
      bytesTotal: this.planned.reduce((n, f) => n + f.bytes, 0),
    };
  }
}

/** Refuses options an incremental run cannot honour. */
export function checkIncrementalOptions(options: { readonly strict?: boolean | undefined }): void {
  // Stopping at the first invalid line says nothing about lines read by earlier runs.
  if (options.strict === true) {
    throw new TelemetryError("usage", "--incremental cannot be combined with --strict");
  }
}

/** The state an incremental run continues from, or why it starts over. */
export interface Continuation<State, Mark extends ReadMark> {
  /** Undefined for a full run. */
  readonly state: State | undefined;
  /** Why this is a full run. */
  readonly reason: string | undefined;
  readonly saved: ReadonlyMap<string, Mark>;
  readonly identities: ReadonlyMap<string, FileIdentity>;
}

/** Decides between continuing a state and starting over, and identifies every input file. */
export function continuation<State, Mark extends ReadMark>(
  prior: { state: State } | { reason: string },
  resolved: ResolvedInputs,
  match: (state: State) => StateMatch<Mark>,
): Continuation<State, Mark> {
  if ("state" in prior) {
    const matched = match(prior.state);
    if (matched.ok) {
      return {
        state: prior.state,
        reason: undefined,
        saved: matched.saved,
        identities: matched.identities,
      };
    }
    return {
      state: undefined,
      reason: matched.reason,
      saved: new Map(),
      identities: identifyInputs(resolved.files),
    };
  }
  return {
    state: undefined,
    reason: prior.reason,
    saved: new Map(),
    identities: identifyInputs(resolved.files),
  };
}
