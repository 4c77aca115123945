// Runs before each test file: every file's tests remove the temp directories they made.
import { afterEach } from "vitest";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(removeTempDirs);
