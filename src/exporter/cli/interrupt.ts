import { removeTempFilesSync } from "../sinks/output-sink.js";

// The exit code of a process ended by a signal is 128 + its number, as shells report it. SIGTERM
// is what `docker stop`, systemd and CI cancellation send; SIGHUP comes with a closed terminal.
const EXIT_ON: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Until the returned function is called, a signal that ends the run removes this process's
 * temp files, temp directories and lock, then exits as interrupted: an interrupted run leaves
 * nothing behind and the previous outputs as they were.
 */
export function cleanUpOnSignals(): () => void {
  const handlers = Object.entries(EXIT_ON).map(([signal, code]) => {
    const handler = () => {
      removeTempFilesSync();
      process.exit(code);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
