import fc from "fast-check";

/** Valid canonical timestamps over the whole range the form allows, with 3, 6 or 9 digits. */
export const canonicalTimestamp = fc
  .tuple(
    fc.date({
      min: new Date("0000-01-01T00:00:00.000Z"),
      max: new Date("9999-12-31T23:59:59.999Z"),
      noInvalidDate: true,
    }),
    fc.constantFrom(3, 6, 9),
    fc.integer({ min: 0, max: 999_999 }),
  )
  .map(([date, digits, extra]) => {
    const base = date.toISOString().slice(0, 23);
    const more = String(extra)
      .padStart(6, "0")
      .slice(0, digits - 3);
    return `${base}${more}Z`;
  });

/** Timestamps in the canonical form's shape that are not real date-times, or not canonical. */
export const REFUSED_TIMESTAMPS = [
  "2023-02-29T00:00:00.000Z",
  "2024-13-01T00:00:00.000Z",
  "2024-00-01T00:00:00.000Z",
  "2024-04-31T00:00:00.000Z",
  "2024-01-00T00:00:00.000Z",
  "2024-01-01T24:00:00.000Z",
  "2024-01-01T00:60:00.000Z",
  "2024-01-01T00:00:60.000Z",
  "2024-01-01T00:00:00.00Z",
  "2024-01-01T00:00:00.0000Z",
  "2024-01-01T00:00:00Z",
  "2024-01-01T00:00:00.000z",
  "2024-01-01T00:00:00.000+00:00",
  "2024-01-01 00:00:00.000Z",
] as const;
