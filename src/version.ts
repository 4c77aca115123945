import { readFileSync } from "node:fs";

// Written in by the CLI bundle's build (scripts/bundle-cli.mjs), whose files sit elsewhere.
declare const TELEMETRY_PACKAGE_VERSION: string | undefined;

let cached: string | undefined;

/** This package's version, read once from its package.json (`src/` and `dist/` sit beside it). */
export function packageVersion(): string {
  if (typeof TELEMETRY_PACKAGE_VERSION === "string") return TELEMETRY_PACKAGE_VERSION;
  if (cached === undefined) {
    const url = new URL("../package.json", import.meta.url);
    cached = (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  }
  return cached;
}

/** The package name, as written into outputs' metadata. */
export const PACKAGE_NAME = "telemetry-pipeline";
