// Keeps the CLI's bundles pure ASCII, which bin/load-cli.cjs then reads as Latin-1: one byte a
// character, no UTF-8 decoding, and V8 keeps a one-byte source string. A single non-ASCII
// character made Node decode the 1.3 MB bundle as UTF-8 into a two-byte string: about 30 ms of
// every run (BENCHMARKS.md). esbuild's `charset: "ascii"` escapes strings and untagged templates;
// it keeps comments and the raw text of tagged templates as they are, so our sources use escapes
// there, and a dependency's file with such characters is rewritten without its comments.
import { readFile } from "node:fs/promises";
import { transform } from "esbuild";

const NON_ASCII = /[\u0080-\uffff]/;

/** esbuild plugin: a dependency's JavaScript file holding non-ASCII text loses its comments. */
export const asciiDependencies = {
  name: "ascii-dependencies",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, async (args) => {
      const contents = await readFile(args.path, "utf8");
      if (!NON_ASCII.test(contents)) return undefined;
      // Whitespace minified: the only esbuild option that drops comments. Names and syntax stay.
      const out = await transform(contents, {
        loader: "js",
        charset: "ascii",
        minifyWhitespace: true,
        sourcefile: args.path,
      });
      return { contents: out.code, loader: "js" };
    });
  },
};

/** Throws naming the first non-ASCII character of a built bundle, and where it is. */
export function assertAscii(name, text) {
  const match = NON_ASCII.exec(text);
  if (match === null) return;
  const line = text.slice(0, match.index).split("\n").length;
  throw new Error(
    `${name}:${line}: non-ASCII character ${JSON.stringify(match[0])} in the bundle: write it as an escape in the source (scripts/ascii-bundle.mjs says why)`,
  );
}
