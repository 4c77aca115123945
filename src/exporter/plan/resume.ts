import type { FileIdentity } from "./file-identity.js";
import { identifyInputs, type ReadMark, type StateMatch } from "./match-state.js";
import type { ResolvedInputs } from "./resolve-inputs.js";

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
