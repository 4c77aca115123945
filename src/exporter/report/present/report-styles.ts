// System fonts only: the page must render offline with nothing to fetch.
/** The report's style sheet (screen and print). */
export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #5c6670; --line: #d8dee4; --accent: #0072b2; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: var(--muted); margin: 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 16px 0 0; }
.figures div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.figures dt { color: var(--muted); font-size: 12px; }
.figures dd { margin: 0; font-size: 20px; font-weight: 600; overflow-wrap: anywhere; }
.figures dd.small { font-size: 13px; font-weight: 500; }
.figures div.wide { grid-column: span 2; }
.bad { color: #b3261e; }
.warn { color: #8a5a00; }
.chart { width: 100%; height: auto; display: block; }
.chart .grid { stroke: #eceff2; }
.chart .axis { stroke: #8c959f; }
.chart text { font-size: 11px; fill: var(--muted); }
.legend { list-style: none; padding: 0; margin: 4px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; vertical-align: baseline; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; overflow-wrap: normal; }
.nowrap { white-space: nowrap; overflow-wrap: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.examples { margin: 0; padding-left: 18px; }
.note { color: var(--muted); font-size: 12px; }
.outliers ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
.outliers p { margin: 8px 0 2px; }
details { margin-top: 8px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  details { display: none; }
  section { break-inside: avoid-page; }
  .chart, .swatch { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
