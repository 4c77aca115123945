import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { ROOT } from "./compiled-sources.js";

// The files that take longest, each running dozens of processes. Vitest starts the slowest
// files first only when it has their timings from an earlier run; on a fresh clone (CI) it
// starts the largest files first, and these, being short, came last and ran alone at the end.
const SLOWEST = [
  "test/bench-smoke.test.ts",
  "test/package/consumer.test.ts",
  "test/faults/compaction.test.ts",
  "test/faults/signal-semantics.test.ts",
  "test/exporter/shared-dataset.test.ts",
  "test/faults/concurrent-incremental.test.ts",
  "test/faults/reader-thread-death.test.ts",
  "test/faults/reader-thread-start.test.ts",
];

/** Vitest's order, with the slowest files first within each project. */
export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const rank = (file: TestSpecification) => {
      const at = SLOWEST.indexOf(relative(ROOT, file.moduleId));
      return at < 0 ? SLOWEST.length : at;
    };
    return sorted
      .map((file, order) => ({
        file,
        order,
        project: projects.indexOf(file.project.name),
        rank: rank(file),
      }))
      .sort((a, b) => a.project - b.project || a.rank - b.rank || a.order - b.order)
      .map(({ file }) => file);
  }
}
