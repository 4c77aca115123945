import type { ScanResult } from "../contracts.js";
import { formatDiagnostic } from "../model/diagnostics.js";
import { formatCount, plural } from "../report/present/format.js";
import { revealUnsafe } from "../report/present/reveal-unsafe.js";
import type { Palette } from "./terminal.js";

const SHOWN = 5;

/** The short summary printed on stderr after a run: counts, counts by code, first problems. */
export function formatSummary(scan: ScanResult, palette: Palette): string {
  const t = scan.totals;
  // A corrupt .gz hides records that are counted nowhere else (its lines cannot be read), yet
  // makes validate and --strict fail as invalid records do: the line says so.
  const corrupt = scan.diagnostics.byCode.invalid_gzip ?? 0;
  // Every warning, a file's too (missing_input, vanished_file, pending_line): "0 warnings" above
  // a file's warning read as a contradiction.
  const lines = [
    `read ${plural(t.files, "file")}, ${plural(t.lines, "line")}: ${formatCount(t.valid)} valid, ` +
      `${formatCount(t.invalid)} invalid${corrupt > 0 ? ` (and ${plural(corrupt, "corrupt .gz file")})` : ""}, ` +
      `${formatCount(t.blank)} blank, ` +
      `${plural(scan.diagnostics.warnings, "warning")}${scan.filtered ? `, ${formatCount(t.filtered)} filtered out` : ""}`,
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
    // File names, excerpts and messages come from the input: escaped before they reach a terminal.
    const text = revealUnsafe(formatDiagnostic(d));
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

/**
 * What a quiet run still says about the files it did not read whole: those it listed and never
 * read (retention deleted them first) and those it could not read (`unreadable_file`: a descriptor
 * limit, a permission, a file changed while it was read). Their events, or some of them, are in
 * none of its outputs (docs/cli.md, `--quiet`). Empty when there were none.
 */
export function formatQuietLosses(scan: ScanResult): string {
  const { byCode, samples } = scan.diagnostics;
  const lines: string[] = [];
  const vanished = byCode.vanished_file ?? 0;
  if (vanished > 0) {
    const first = samples.find((d) => d.code === "vanished_file");
    const them = vanished === 1 ? "it" : "them";
    const were = vanished === 1 ? "it was" : "they were";
    const their = vanished === 1 ? "its" : "their";
    const where = first === undefined ? "" : ` (first: ${revealUnsafe(first.file)})`;
    lines.push(
      `warning: vanished_file: ${plural(vanished, "file")} deleted after the run listed ${them}, before ${were} read; ${their} events are not in this run${where}`,
    );
  }
  const unreadable = byCode.unreadable_file ?? 0;
  if (unreadable > 0) {
    const first = samples.find((d) => d.code === "unreadable_file");
    const where =
      first === undefined ? "" : ` (first: ${revealUnsafe(`${first.file}: ${first.message}`)})`;
    const [their, them] = unreadable === 1 ? ["its", "it"] : ["their", "them"];
    lines.push(
      `error: unreadable_file: ${plural(unreadable, "file")} could not be read to ${their} end; what was not read of ${them} is not in this run${where}`,
    );
  }
  return lines.map((line) => `${line}\n`).join("");
}
