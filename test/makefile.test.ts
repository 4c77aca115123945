import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// `make -n` prints the commands a target would run without running them: the README's
// `make telemetry-etl` forms are checked here without writing into the repository's reports/.
function planned(...args: string[]): string {
  const result = spawnSync("make", ["-n", ...args], { encoding: "utf8" });
  expect(result.status).toBe(0);
  return result.stdout.trimEnd().split("\n").at(-1) ?? "";
}

describe("make telemetry-etl", () => {
  it("runs the incremental ETL on the design's default paths", () => {
    expect(planned("telemetry-etl")).toBe(
      "node bin/telemetry-exporter.cjs etl --incremental --input reports/telemetry --output-dir reports/analytics",
    );
  });

  it("passes ETL_FLAGS through (ETL_FLAGS=--full reads everything again)", () => {
    expect(planned("telemetry-etl", "ETL_FLAGS=--full")).toBe(
      "node bin/telemetry-exporter.cjs etl --incremental --input reports/telemetry --output-dir reports/analytics --full",
    );
  });
});
