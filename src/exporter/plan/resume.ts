import type { UnfinishedFile } from "../contracts.js";
import type { FileIdentity } from "./file-identity.js";
import { identifyInputs, type ReadMark, type StateMatch } from "./match-state.js";
import type { ResolvedInputs } from "./resolve-inputs.js";

/** The state an incremental run continues from, or why it starts over. */
export interface Continuation<State, Mark extends ReadMark> {
  /** Undefined for a full run. */
  readonly state: State | undefined;
  /** Why this is a full run. */
  readonly reason: string | undefined;
  /** Per input path now: its mark (a renamed or compressed file's mark moves with it). */
  readonly saved: ReadonlyMap<string, Mark>;
  readonly identities: ReadonlyMap<string, FileIdentity>;
  /** Per .gz path: decompressed bytes read before it was compressed. */
  readonly skips: ReadonlyMap<string, number>;
  /** Files read and since deleted, kept in the outputs. */
  readonly archived: readonly Mark[];
  /** Of those, the ones deleted with an unfinished last line (see StateMatch). */
  readonly unfinished: readonly UnfinishedFile[];
  /** Of those, the ones rotated and deleted between two runs (see StateMatch). */
  readonly overtaken: readonly UnfinishedFile[];
  /** Per numbered group: the rotations since the state was saved (for folded archives' names). */
  readonly shifts: ReadonlyMap<string, number>;
  /** Files with a mark, there but not opened to be identified (see StateMatch). */
  readonly unidentified: ReadonlySet<string>;
  /** Files listed and gone when the run identified them (see identifyInputs). */
  readonly gone: ReadonlySet<string>;
}

/** Decides between continuing a state and starting over, and identifies every input file. */
export async function continuation<State, Mark extends ReadMark>(
  prior: { state: State } | { reason: string },
  resolved: ResolvedInputs,
  match: (state: State) => Promise<StateMatch<Mark>> | StateMatch<Mark>,
): Promise<Continuation<State, Mark>> {
  const gone = new Set<string>();
  const fresh = (reason: string): Continuation<State, Mark> => ({
    state: undefined,
    reason,
    saved: new Map(),
    identities: identifyInputs(resolved.files, gone),
    skips: new Map(),
    archived: [],
    unfinished: [],
    overtaken: [],
    shifts: new Map(),
    unidentified: new Set(),
    gone,
  });
  if (!("state" in prior)) return fresh(prior.reason);
  const matched = await match(prior.state);
  if (!matched.ok) return fresh(matched.reason);
  const { saved, identities, skips, archived, unfinished, overtaken, shifts } = matched;
  return {
    state: prior.state,
    reason: undefined,
    ...{ saved, identities, skips, archived, unfinished, overtaken, shifts },
    unidentified: matched.unidentified,
    gone: matched.gone,
  };
}
