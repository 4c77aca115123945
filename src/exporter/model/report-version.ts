/** Version of the aggregate report format (kept apart from its zod schema, which is heavy to load). */
export const REPORT_VERSION = 1;
