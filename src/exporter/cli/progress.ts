import type { ScanProgress } from "../contracts.js";
import type { CliIO } from "./terminal.js";

const INTERVAL_MS = 250;

/** A one-line progress display on a TTY stderr; does nothing elsewhere or with `quiet`. */
export function progressReporter(io: CliIO, quiet: boolean) {
  if (quiet || io.stderr.isTTY !== true) return { update: undefined, done: () => {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  const update = (p: ScanProgress): void => {
    const now = Date.now();
    if (now - last < INTERVAL_MS) return;
    last = now;
    shown = true;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const mb = (n: number) => (n / 1e6).toFixed(1);
    io.stderr.write(
      `\r\x1b[Kreading ${mb(p.bytesRead)}/${mb(p.totalBytes)} MB, ${p.events.toLocaleString("en-US")} events ` +
        `(${Math.round(p.bytesRead / 1e6 / seconds)} MB/s, ${Math.round(p.events / seconds).toLocaleString("en-US")} events/s)`,
    );
  };
  const done = (): void => {
    if (shown) io.stderr.write("\r\x1b[K");
  };
  return { update, done };
}
