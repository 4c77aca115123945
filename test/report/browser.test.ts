import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chromiumPath, launchChromium } from "../helpers/browser.js";
import { runCli } from "../helpers/cli.js";
import { eventLine } from "../helpers/event-lines.js";
import { HOSTILE_NAMES } from "../helpers/hostile-report.js";
import { tempDir } from "../helpers/temp-dir.js";

const executable = chromiumPath();
// CI installs Chromium (.ci/run) and sets this, so there the test can only pass by running.
const required = process.env.TELEMETRY_REQUIRE_BROWSER === "1";
if (executable === undefined && !required) {
  process.stderr.write(
    "browser test skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)\n",
  );
}

describe("which Chromium the browser test and make screenshot drive", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is $CHROMIUM_PATH when set", () => {
    vi.stubEnv("CHROMIUM_PATH", "/opt/chromium/chrome");
    expect(chromiumPath()).toBe("/opt/chromium/chrome");
  });

  it("is else the first Debian or Chrome path that exists (an empty variable counts as unset)", () => {
    vi.stubEnv("CHROMIUM_PATH", "");
    const paths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    expect(chromiumPath()).toBe(paths.find((path) => existsSync(path)));
  });
});

function writeInputs(dir: string): Record<string, number> {
  const perDay: Record<string, number> = {};
  const lines: string[] = [];
  const channels = ["user", "simulation", "system"];
  for (let d = 0; d < 14; d++) {
    const day = new Date(Date.UTC(2025, 2, 1 + d)).toISOString().slice(0, 10);
    for (let c = 0; c < channels.length; c++) {
      const n = ((d * 7 + c * 5) % 11) + (d === 9 ? 0 : 1);
      for (let i = 0; i < n; i++) {
        const event = HOSTILE_NAMES[(d + i) % HOSTILE_NAMES.length] as string;
        lines.push(
          JSON.stringify({
            schema_version: "telemetry_event_v1",
            channel: channels[c],
            event,
            timestamp: `${day}T${String(i % 24).padStart(2, "0")}:00:00.000Z`,
            payload: { i },
          }),
        );
      }
      perDay[day] = (perDay[day] ?? 0) + n;
    }
  }
  lines.push("<script>alert(3)</script>");
  writeFileSync(join(dir, "events.jsonl"), `${lines.join("\n")}\n`);
  return perDay;
}

describe.skipIf(executable === undefined && !required)(
  "the HTML report in headless Chromium",
  () => {
    it("renders offline with no console error, no request and no script; bars match the counts", async () => {
      if (executable === undefined)
        throw new Error("TELEMETRY_REQUIRE_BROWSER=1 but no Chromium found");
      const input = tempDir();
      const perDay = writeInputs(input);
      const out = tempDir();
      expect((await runCli(["etl", "-i", input, "--output-dir", out, "-q"])).code).toBe(0);
      const page_ = join(out, "telemetry_report.html");
      const url = pathToFileURL(page_).href;

      const browser = await launchChromium(executable);
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const problems: string[] = [];
        const requests: string[] = [];
        page.on("console", (m) => {
          if (m.type() === "error" || m.type() === "warning")
            problems.push(`${m.type()}: ${m.text()}`);
        });
        page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
        page.on("dialog", (d) => {
          problems.push(`dialog: ${d.message()}`);
          void d.dismiss();
        });
        page.on("request", (r) => requests.push(r.url()));
        await page.goto(url, { waitUntil: "load" });

        expect(problems).toEqual([]);
        expect(requests).toEqual([url]);
        expect(await page.title()).toBe("Telemetry report");
        expect(await page.locator("script").count()).toBe(0);
        await expect(page.locator("#event-table").textContent()).resolves.toContain(
          HOSTILE_NAMES[0],
        );

        const bars = await page.$$eval("g.day", (days) =>
          days.map((day) => ({
            start: day.getAttribute("data-start") as string,
            total: Number(day.getAttribute("data-total")),
            height: [...day.querySelectorAll("rect.bar")].reduce(
              (h, rect) => h + rect.getBoundingClientRect().height,
              0,
            ),
          })),
        );
        expect(Object.fromEntries(bars.map((b) => [b.start, b.total]))).toEqual(perDay);
        // Drawn heights in the real layout are proportional to the counts.
        const tallest = bars.reduce((a, b) => (b.total > a.total ? b : a));
        const pxPerEvent = tallest.height / tallest.total;
        expect(pxPerEvent).toBeGreaterThan(0.5);
        for (const bar of bars) expect(bar.height).toBeCloseTo(bar.total * pxPerEvent, 0);
        expect(bars.find((b) => b.start === "2025-03-10")?.total).toBeGreaterThan(0);

        // Printable: the chart keeps its place, the collapsible numbers table is left out.
        await page.emulateMedia({ media: "print" });
        expect(await page.locator("svg.chart").isVisible()).toBe(true);
        expect(await page.locator("details").isVisible()).toBe(false);
        const pdf = join(out, "report.pdf");
        await page.pdf({ path: pdf, format: "A4" });
        expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
        await page.emulateMedia({ media: "screen" });

        const shot = join(out, "report.png");
        await page.screenshot({ path: shot, fullPage: true });
        expect(readFileSync(shot).subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
        expect(statSync(shot).size).toBeGreaterThan(20_000);
      } finally {
        await browser.close();
      }
    }, 60_000);

    it("keeps the dense range readable when one stray event lies far away, and names it", async () => {
      if (executable === undefined)
        throw new Error("TELEMETRY_REQUIRE_BROWSER=1 but no Chromium found");
      const input = tempDir();
      const lines: string[] = [];
      for (let d = 1; d <= 8; d++) {
        for (let i = 0; i < 20 + ((d * 7) % 13); i++) {
          const ts = `2025-03-0${d}T${String(i % 24).padStart(2, "0")}:00:00.000Z`;
          lines.push(eventLine({ channel: i % 3 === 0 ? "system" : "user", timestamp: ts }));
        }
      }
      // A stray "now" among March 2025 data: 21 months away.
      lines.push(eventLine({ timestamp: "2026-11-30T01:00:00.000Z" }));
      writeFileSync(join(input, "events.jsonl"), `${lines.join("\n")}\n`);
      const out = tempDir();
      expect((await runCli(["etl", "-i", input, "--output-dir", out, "-q"])).code).toBe(0);

      const browser = await launchChromium(executable);
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        await page.goto(pathToFileURL(join(out, "telemetry_report.html")).href);
        await expect(page.locator("#per-day h2").textContent()).resolves.toBe("Events per UTC day");
        const starts = await page.$$eval("g.day", (days) =>
          days.map((d) => d.getAttribute("data-start")),
        );
        expect(starts).toEqual(Array.from({ length: 8 }, (_, i) => `2025-03-0${i + 1}`));
        await expect(page.locator("#outliers").textContent()).resolves.toContain(
          "2026-11-30: 1 event",
        );
        await expect(page.locator("#outliers").isVisible()).resolves.toBe(true);

        // The screenshot: bars fill most of the plot's width (six-day bins over 21 months
        // left two slivers at its ends).
        const shot = await page.locator("svg.chart").screenshot();
        writeFileSync(join(out, "chart.png"), shot);
        const blank = await browser.newPage();
        const filled = await blank.evaluate(async (png: string) => {
          const image = new Image();
          image.src = `data:image/png;base64,${png}`;
          await image.decode();
          const canvas = document.createElement("canvas");
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext("2d") as CanvasRenderingContext2D;
          context.drawImage(image, 0, 0);
          const { data } = context.getImageData(0, 0, image.width, image.height);
          let columns = 0;
          for (let x = 0; x < image.width; x++) {
            for (let y = 0; y < image.height; y++) {
              const at = (y * image.width + x) * 4;
              const [r, g, b] = [data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0];
              // Saturated pixels are bars; grid, axis and text are grey.
              if (Math.max(r, g, b) - Math.min(r, g, b) > 60) {
                columns++;
                break;
              }
            }
          }
          return columns / image.width;
        }, shot.toString("base64"));
        expect(filled).toBeGreaterThan(0.5);
      } finally {
        await browser.close();
      }
    }, 60_000);
  },
);
