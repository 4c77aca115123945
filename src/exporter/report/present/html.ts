import { revealUnsafe } from "./reveal-unsafe.js";

/** Markup that is already safe to put in a page; only {@link html} and {@link trustedHtml} make one. */
export class SafeHtml {
  /** @internal */
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return revealUnsafe(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === undefined || value === null || value === false) return "";
  return escapeHtml(String(value));
}

/**
 * Template tag that escapes every interpolated value unless it is itself {@link SafeHtml}, so a
 * value can only reach the page as markup by being built with this tag.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] as string);
  return new SafeHtml(out);
}

/** Marks a constant written by us (a style sheet) as markup. Never pass input through this. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
