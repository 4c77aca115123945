import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { Tracker } from "../../src/index.js";
import { secondCopy } from "../helpers/package-copy.js";
import { tempDir } from "../helpers/temp-dir.js";

const counted = ["SIGINT", "SIGTERM", "SIGHUP", "exit", "removeListener"] as const;

function listenerCounts() {
  return Object.fromEntries(counted.map((name) => [name, process.listenerCount(name)]));
}

it("every tracker of every copy shares one listener per signal and one exit listener; the last close removes the signal ones", async () => {
  const directory = tempDir();
  const before = listenerCounts();
  const copy = (await import(pathToFileURL(secondCopy()).href)) as { Tracker: typeof Tracker };
  expect(copy.Tracker).not.toBe(Tracker);
  const trackers = [
    new Tracker({ directory }),
    new copy.Tracker({ directory }),
    new Tracker({ directory, handleSignals: false }),
    new copy.Tracker({ directory }),
  ];
  const installed = { SIGINT: 1, SIGTERM: 1, SIGHUP: 1, exit: 1, removeListener: 1 };
  const plus = (delta: Record<string, number>) =>
    Object.fromEntries(counted.map((name) => [name, (before[name] ?? 0) + (delta[name] ?? 0)]));
  expect(listenerCounts()).toEqual(plus(installed));
  // Closing the copy that installed the listeners leaves them to the other copy's trackers.
  for (const tracker of trackers.slice(0, 3)) await tracker.close();
  expect(listenerCounts()).toEqual(plus(installed));
  await trackers[3]?.close();
  expect(listenerCounts()).toEqual(plus({ exit: 1 }));
  // A new tracker, of either copy, installs them again.
  const again = new copy.Tracker({ directory });
  expect(listenerCounts()).toEqual(plus(installed));
  await again.close();
});
