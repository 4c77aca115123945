// Event names, file paths and excerpts are untrusted. Control characters could rewrite a terminal
// (ESC sequences) or hide in a page, and bidi overrides reorder what a reader sees, so both are
// shown as visible escapes wherever we display such text; so are the invisible zero-width space,
// word joiner and byte-order mark (a BOM inside a file was reported as "Unexpected token '',
// its character unseen).
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

/** Replaces control, bidi-override and invisible characters with visible `\u{..}` escapes. */
export function revealUnsafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);
}
