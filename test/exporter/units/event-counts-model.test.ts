// EventCounts against a plain map of (channel, event, day) to count, over random mixes of every
// way counts enter (saved runs taken whole, zeros and all; cells; another thread's packed counts;
// addAll, which shares runs between instances) and are read (names() between additions, a save
// and restore through the state's form), with days at both ends of 0000-9999. Written by an
// adversary session against the runs-of-days rewrite (stop 36).
import { describe, expect, it } from "vitest";
import {
  addCountRuns,
  type CountRun,
  toCountRuns,
} from "../../../src/exporter/model/count-runs.js";
import { dayIndex, dayText } from "../../../src/exporter/model/day-numbers.js";
import { EventCounts, rollUpCounts } from "../../../src/exporter/model/event-counts.js";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Model = Map<string, number>;
const key = (c: string, e: string, d: number) => `${c}|${e}|${d}`;

function flat(counts: EventCounts): Model {
  const m: Model = new Map();
  for (const [c, e, runs] of counts.names()) {
    let prevEnd = Number.NEGATIVE_INFINITY;
    for (const { start, counts: per } of runs) {
      // Runs in day order, apart, no zeros.
      expect(start).toBeGreaterThan(prevEnd);
      prevEnd = start + per.length;
      for (let k = 0; k < per.length; k++) {
        expect(per[k]).toBeGreaterThan(0);
        m.set(key(c, e, start + k), (m.get(key(c, e, start + k)) ?? 0) + (per[k] as number));
      }
    }
  }
  return m;
}
const addM = (m: Model, k: string, n: number) => {
  if (n > 0) m.set(k, (m.get(k) ?? 0) + n);
};

describe("EventCounts against a model", () => {
  it("random mixes of runs, cells, merges and addAll agree with a plain map", () => {
    const LO = dayIndex("0000-01-01");
    const HI = dayIndex("9999-12-31");
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
      const base = pick([LO, HI - 40, dayIndex("2024-02-20"), -5]);
      const day = () => Math.min(HI, base + Math.floor(r() * 40));
      const insts = [new EventCounts(), new EventCounts(), new EventCounts()];
      const models: Model[] = [new Map(), new Map(), new Map()];
      for (let op = 0; op < 60; op++) {
        const i = Math.floor(r() * 3);
        const c = pick(["u", "s"]);
        const e = pick(["a", "b"]);
        const x = r();
        const inst = insts[i] as EventCounts;
        const model = models[i] as Model;
        if (x < 0.3) {
          const d = day();
          const n = 1 + Math.floor(r() * 3);
          inst.add(c, e, dayText(d), n);
          addM(model, key(c, e, d), n);
        } else if (x < 0.55) {
          const start = day();
          const len = 1 + Math.floor(r() * 6);
          const per = Array.from({ length: len }, () => (r() < 0.2 ? 0 : 1 + Math.floor(r() * 4)));
          if (start + len - 1 > HI) continue;
          inst.addRun(c, e, start, per);
          for (let k = 0; k < per.length; k++) addM(model, key(c, e, start + k), per[k] as number);
        } else if (x < 0.7) {
          const d = day();
          inst.merge({ names: [c, e], days: [dayText(d)], cells: new Float64Array([0, 0, 2]) }, []);
          addM(model, key(c, e, d), 2);
        } else if (x < 0.8) {
          const j = Math.floor(r() * 3);
          if (j === i) continue;
          inst.addAll(insts[j] as EventCounts);
          for (const [k, n] of models[j] as Model) addM(model, k, n);
        } else if (x < 0.9) {
          // Read (folds cells into runs), as a save does.
          expect(flat(inst)).toEqual(model);
        } else {
          // Save and restore through the state's form.
          const saved: CountRun[] = JSON.parse(JSON.stringify(toCountRuns(inst)));
          const again = new EventCounts();
          addCountRuns(again, saved);
          insts[i] = again;
          expect(flat(again)).toEqual(model);
        }
      }
      for (let i = 0; i < 3; i++) expect(flat(insts[i] as EventCounts)).toEqual(models[i]);
      // The report's per-day totals from all three as parts.
      const { byDay } = rollUpCounts(insts);
      const want = new Map<string, number>();
      for (const m of models)
        for (const [k, n] of m) {
          const d = dayText(Number(k.split("|")[2]));
          want.set(d, (want.get(d) ?? 0) + n);
        }
      expect(new Map([...byDay].sort())).toEqual(new Map([...want].sort()));
    }
  });
});
