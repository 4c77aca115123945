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
