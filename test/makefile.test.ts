import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// `make -n` prints the commands a target would run without running them: the README's
// `make telemetry-etl` forms are checked here without writing into the repository's reports/.
// Under `make test` this runs inside make: its flags and level must not leak in (they add
// "Entering directory" lines), and only the exporter's command line is compared.
function planned(...args: string[]): string {
  const env = { ...process.env, MAKEFLAGS: "", MFLAGS: "", MAKELEVEL: "" };
  const result = spawnSync("make", ["--no-print-directory", "-n", ...args], {
    encoding: "utf8",
    env,
  });
  expect(result.status).toBe(0);
  const lines = result.stdout.split("\n").filter((line) => line.includes("telemetry-exporter"));
  expect(lines).toHaveLength(1);
  return (lines[0] ?? "").trimEnd();
}

describe("make telemetry-etl", () => {
  it("runs the incremental ETL on the design's default paths", () => {
    expect(planned("telemetry-etl")).toBe(
      "node bin/telemetry-exporter.cjs etl --incremental --input reports/telemetry --output-dir reports/analytics",
    );
  });

  it("is what the README and docs/cli.md say it runs", () => {
    const recipe = planned("telemetry-etl").replace(/^node bin\/telemetry-exporter\.cjs /, "");
    for (const path of ["README.md", "docs/cli.md"]) {
      const line = readFileSync(path, "utf8")
        .split("\n")
        .find((l) => l.endsWith("# what make telemetry-etl runs"));
      const command = line?.replace(/^telemetry-exporter (.*?)\s+#.*$/, "$1");
      expect({ path, command }).toEqual({ path, command: recipe });
    }
  });

  it("passes ETL_FLAGS through (ETL_FLAGS=--full reads everything again)", () => {
    expect(planned("telemetry-etl", "ETL_FLAGS=--full")).toBe(
      "node bin/telemetry-exporter.cjs etl --incremental --input reports/telemetry --output-dir reports/analytics --full",
    );
  });
});
