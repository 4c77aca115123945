import type { ScanResult } from "../contracts.js";
import { formatDiagnostic } from "../model/diagnostics.js";
import { formatCount, plural } from "../report/present/format.js";
import type { Palette } from "./terminal.js";

const SHOWN = 5;

/** The short summary printed on stderr after a run: counts, counts by code, first problems. */
export function formatSummary(scan: ScanResult, palette: Palette): string {
  const t = scan.totals;
  // Not a line, yet invalid data (validate exits 3 for it): counted where "invalid" is.
  const gzip = scan.diagnostics.byCode.invalid_gzip ?? 0;
  const corrupt = gzip > 0 ? `, ${plural(gzip, "corrupt .gz file")}` : "";
  const lines = [
    `read ${plural(t.files, "file")}, ${plural(t.lines, "line")}: ${formatCount(t.valid)} valid, ` +
      `${formatCount(t.invalid)} invalid${corrupt}, ${formatCount(t.blank)} blank, ` +
      `${plural(t.warnings, "warning")}${scan.filtered ? `, ${formatCount(t.filtered)} filtered out` : ""}`,
  ];
  if (t.files === 0) {
    lines.push(
      palette.yellow(
        "no input files found: give --input a directory of *.jsonl files, a file, or a glob",
      ),
    );
  }
  const log = scan.diagnostics;
  const codes = Object.entries(log.byCode).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [code, count] of codes) {
    lines.push(`  ${code}: ${formatCount(count)}`);
  }
  const shown = log.samples.slice(0, SHOWN);
  for (const d of shown) {
    const text = formatDiagnostic(d);
    lines.push(
      `  ${d.severity === "error" ? palette.red("error") : palette.yellow("warning")} ${text}`,
    );
  }
  const total = log.errors + log.warnings;
  if (total > shown.length) {
    lines.push(
      palette.dim(
        `  … and ${plural(total - shown.length, "more diagnostic")} (--diagnostics FILE writes them all)`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
