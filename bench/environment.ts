// The environment every measured process starts with. This machine's environment sets
// NODE_EXTRA_CA_CERTS (for the network proxy of the sandbox it runs in). Node then parses
// that certificate bundle, and builds its root store, at every start, before any script runs:
// about 30 ms of each process here (an empty script: 0.04 s with it, 0.01 s without). None of
// the measured commands, ours or the references, opens a TLS connection, so it is start-up work
// that belongs to the machine, not to what is measured. It is removed from every process the
// bench starts, references included; the start-up rows measure what it costs beside them.

/** Variables that make Node do start-up work none of the measured commands uses. */
export const START_UP_WORK_VARIABLES = ["NODE_EXTRA_CA_CERTS"] as const;

/** `env` without the start-up-work variables, and the names of those it had. */
export function withoutStartUpWork(env: NodeJS.ProcessEnv): {
  readonly env: NodeJS.ProcessEnv;
  readonly removed: readonly string[];
} {
  const removed = START_UP_WORK_VARIABLES.filter((name) => env[name] !== undefined);
  const clean = { ...env };
  for (const name of removed) delete clean[name];
  return { env: clean, removed };
}
