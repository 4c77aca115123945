import { describe, expect, it } from "vitest";
import { numberedShifts, shiftArchived } from "../../../src/exporter/plan/numbered-shift.js";
import { numberedPath, numberedPlace } from "../../../src/exporter/plan/rotated-names.js";

describe("logrotate's numbered places", () => {
  it("the live file is 0, `.N[.gz]` is N; other rotated names have none", () => {
    expect(numberedPlace("d/user.jsonl")).toEqual({ group: "d/user.jsonl", n: 0, gz: false });
    expect(numberedPlace("d/user.jsonl.3.gz")).toEqual({ group: "d/user.jsonl", n: 3, gz: true });
    expect(numberedPlace("d/user.jsonl.gz")).toBeUndefined();
    expect(numberedPlace("d/user.20250301T000000000Z.jsonl")).toBeUndefined();
    expect(numberedPlace("d/user.jsonl-20250301")).toBeUndefined();
    expect(numberedPath({ group: "d/user.jsonl", n: 2, gz: true })).toBe("d/user.jsonl.2.gz");
    expect(numberedPath({ group: "d/user.jsonl", n: 0, gz: false })).toBe("d/user.jsonl");
  });

  it("a file the state knew counts the rotations exactly; new files only bound them", () => {
    const exact = numberedShifts(
      [
        ["d/user.jsonl.1", "d/user.jsonl.3.gz"],
        ["d/sim.jsonl", "d/sim.jsonl"],
      ],
      ["d/user.jsonl.1", "d/user.jsonl.2", "d/sim.jsonl.4"],
    );
    expect(exact).toEqual(
      new Map([
        ["d/user.jsonl", 2],
        ["d/sim.jsonl", 0],
      ]),
    );
    const bound = numberedShifts(
      [["d/user.jsonl", "d/user.20250301T000000000Z.jsonl"]],
      ["d/user.jsonl.1", "d/user.jsonl.2", "d/user.jsonl"],
    );
    expect(bound).toEqual(new Map([["d/user.jsonl", 2]]));
  });

  it("archived marks move on by their group's rotations; other names stay", () => {
    const shifts = new Map([["d/user.jsonl", 2]]);
    const marks = [
      { path: "d/user.jsonl.1.gz" },
      { path: "d/user.jsonl" },
      { path: "d/user.20250301T000000000Z.jsonl" },
      { path: "d/sim.jsonl.1" },
    ];
    expect(shiftArchived(marks, shifts).map((m) => m.path)).toEqual([
      "d/user.jsonl.3.gz",
      "d/user.jsonl.2",
      "d/user.20250301T000000000Z.jsonl",
      "d/sim.jsonl.1",
    ]);
  });
});
