const COMBINING = /^[\p{Mn}\p{Me}]$/u;
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

function charWidth(char: string): number {
  const cp = char.codePointAt(0) as number;
  // Zero-width spaces and joiners, variation selectors, and combining marks take no column.
  if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0xfe00 && cp <= 0xfe0f) || COMBINING.test(char)) {
    return 0;
  }
  return WIDE.test(char) ? 2 : 1;
}

/** Columns `text` takes in a terminal (wide East Asian characters and emoji count two). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Cuts `text` to at most `width` columns, ending in `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** Like {@link truncate}, but keeps the end (for paths, whose file name matters most). */
export function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const chars = [...text];
  let out = "";
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i] as string;
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out = char + out;
    used += w;
  }
  return `…${out}`;
}

/** Pads (or cuts) `text` to exactly `width` columns, left- or right-aligned. */
export function cell(text: string, width: number, align: "left" | "right" = "left"): string {
  const cut = truncate(text, width);
  const pad = " ".repeat(Math.max(0, width - displayWidth(cut)));
  return align === "left" ? cut + pad : pad + cut;
}
