// What makes a timed incremental run count: the CLI's own account of it (its incremental note
// on stderr and the new-events count on stdout). A run that fell back to a full one, or read a
// rotated segment again, would otherwise be timed as if it were incremental.
import type { Run } from "./measure.js";

const UNITS: Record<string, number> = { byte: 1, bytes: 1, KB: 1e3, MB: 1e6, GB: 1e9 };

/** Throws unless the run continued from the state, read at most `most` bytes, added `events`. */
export function checkIncremental(step: string, run: Run, most: number, events: number): void {
  const note =
    /incremental: read ([\d.]+) (\w+) of .* \(what was appended since the last run\)/.exec(
      run.stderr,
    );
  if (note === null) throw new Error(`${step}: not an incremental run: ${run.stderr.trim()}`);
  const read = Number(note[1]) * (UNITS[note[2] as string] ?? Number.NaN);
  if (!(read <= most))
    throw new Error(`${step}: read ${note[1]} ${note[2]}, more than what is new`);
  // A run with nothing new leaves the events file as it was, and says so.
  const added =
    /\((\d+) new\)/.exec(run.stdout)?.[1] ??
    (/left .* as it was: nothing new to add/.test(run.stdout) ? "0" : undefined);
  if (Number(added) !== events)
    throw new Error(`${step}: ${added ?? "no"} new events, ${events} expected`);
}
