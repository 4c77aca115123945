import type { DaySeries } from "./day-bins.js";
import { formatCount } from "./format.js";
import { html, type SafeHtml } from "./html.js";

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, and in print. */
export const SERIES_COLOURS = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#f0e442",
] as const;

/** Colour of the series that sums up the channels not drawn on their own. */
export const OTHER_COLOUR = "#999999";

const WIDTH = 960;
const HEIGHT = 320;
const LEFT = 64;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 40;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const MAX_LABELS = 8;

/** The smallest 1, 2 or 5 × 10^k step that covers `max` in about four ticks. */
export function niceStep(max: number): number {
  if (max <= 4) return 1;
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function colourOf(series: DaySeries, index: number, hasOther: boolean): string {
  if (hasOther && index === series.names.length - 1) return OTHER_COLOUR;
  return SERIES_COLOURS[index % SERIES_COLOURS.length] as string;
}

function binLabel(start: string, end: string): string {
  return start === end ? start : `${start} – ${end}`;
}

/**
 * A stacked bar chart of events per UTC day (or per bin of days), one colour per series, as inline
 * SVG: no script, no fonts or images to fetch. Every bar segment carries its numbers in `data-*`
 * attributes and a `<title>` tooltip; bar heights are proportional to the counts.
 */
export function renderDayChart(series: DaySeries, hasOther: boolean, label: string): SafeHtml {
  const max = series.bins.reduce((m, b) => Math.max(m, b.total), 0);
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const scale = PLOT_H / top;
  const slot = PLOT_W / Math.max(1, series.bins.length);
  const barWidth = Math.max(1, slot * 0.8);
  const ticks: SafeHtml[] = [];
  for (let v = 0; v <= top; v += step) {
    const y = TOP + PLOT_H - v * scale;
    ticks.push(
      html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}"/><text class="tick" x="${LEFT - 6}" y="${y + 4}" text-anchor="end">${formatCount(v)}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(series.bins.length / MAX_LABELS));
  const bars = series.bins.map((bin, i) => {
    const x = LEFT + i * slot + (slot - barWidth) / 2;
    let y = TOP + PLOT_H;
    const segments = bin.counts.map((count, s) => {
      if (count === 0) return html``;
      const h = count * scale;
      y -= h;
      const name = series.names[s] as string;
      return html`<rect class="bar" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${barWidth.toFixed(2)}" height="${h.toFixed(2)}" fill="${colourOf(series, s, hasOther)}" data-series="${name}" data-count="${count}"><title>${binLabel(bin.start, bin.end)} \u00b7 ${name}: ${formatCount(count)}</title></rect>`;
    });
    const tick =
      i % every === 0
        ? html`<text class="day-label" x="${(x + barWidth / 2).toFixed(2)}" y="${HEIGHT - BOTTOM + 18}" text-anchor="middle">${bin.start}</text>`
        : html``;
    return html`<g class="day" data-start="${bin.start}" data-end="${bin.end}" data-total="${bin.total}">${segments}${tick}</g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}" data-scale="${scale}" data-baseline="${TOP + PLOT_H}" xmlns="http://www.w3.org/2000/svg">${ticks}${bars}<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}"/></svg>`;
}

/** The legend of {@link renderDayChart}: one swatch per series. */
export function renderLegend(series: DaySeries, hasOther: boolean, otherLabel: string): SafeHtml {
  const items = series.names.map((name, i) => {
    const text = hasOther && i === series.names.length - 1 ? otherLabel : name;
    return html`<li><span class="swatch" style="background:${colourOf(series, i, hasOther)}"></span>${text}</li>`;
  });
  return html`<ul class="legend">${items}</ul>`;
}
