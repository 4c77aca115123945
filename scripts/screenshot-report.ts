// Writes docs/report.png: the HTML report of the committed sample, as the README shows it.
// Run with `make screenshot` (needs Chromium: apt-get install chromium).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { aggregateEvents, renderReportHtml } from "../src/exporter/index.js";
import { chromiumPath, launchChromium } from "../test/helpers/browser.js";

const executable = chromiumPath();
if (executable === undefined) throw new Error("no Chromium found: apt-get install chromium");
const { report } = await aggregateEvents({
  inputs: ["reports/telemetry"],
  // A fixed clock keeps the picture the same from run to run.
  now: () => new Date("2025-03-09T00:00:00.000Z"),
});
const dir = mkdtempSync(join(tmpdir(), "telemetry-screenshot-"));
try {
  const page = join(dir, "telemetry_report.html");
  writeFileSync(page, renderReportHtml(report));
  const browser = await launchChromium(executable);
  try {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 820 } });
    await tab.goto(pathToFileURL(page).href);
    await tab.screenshot({ path: "docs/report.png" });
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write("wrote docs/report.png\n");
