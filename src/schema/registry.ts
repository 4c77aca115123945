import type { z } from "zod";
import { SCHEMA_VERSION_V1, telemetryEventV1Schema } from "./event-schema.js";

/** Every schema version this build reads, mapped to its schema. */
export const schemaRegistry = {
  [SCHEMA_VERSION_V1]: telemetryEventV1Schema,
} as const satisfies Record<string, z.ZodType>;

/** A schema version this build understands. */
export type SchemaVersion = keyof typeof schemaRegistry;

/** The schema versions this build understands, oldest first. */
export const SUPPORTED_SCHEMA_VERSIONS = Object.keys(schemaRegistry) as SchemaVersion[];

/** True when `version` names a schema this build understands. */
export function isSupportedSchemaVersion(version: unknown): version is SchemaVersion {
  return typeof version === "string" && Object.hasOwn(schemaRegistry, version);
}
