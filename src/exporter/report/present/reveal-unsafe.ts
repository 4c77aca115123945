// Event names, file paths and excerpts are untrusted. Control characters could rewrite a terminal
// (ESC sequences) or hide in a page, and bidi overrides reorder what a reader sees, so both are
// shown as visible escapes wherever we display such text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Replaces control and bidi-override characters with visible `\u{..}` escapes. */
export function revealUnsafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);
}
