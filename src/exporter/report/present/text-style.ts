/** How the terminal summary marks up text; every function returns its input when colour is off. */
export interface TextStyle {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
}

const plain = (text: string) => text;

/** No colour, no emphasis. */
export const PLAIN_STYLE: TextStyle = { bold: plain, dim: plain, red: plain, yellow: plain };
