/** Returned instead of a position when the text may still be valid but is not canonical. */
export const NOT_CANONICAL = -1;

/** Whether the byte `c` is an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * The end of the JSON number at `buf[i]` (a `-` or a digit), read no further than `end`, when it
 * is written as `JSON.stringify` writes the value it denotes; else {@link NOT_CANONICAL}.
 */
export function canonicalNumberEnd(buf: Uint8Array, i: number, end: number): number {
  let at = i;
  if (buf[at] === 0x2d) at++;
  const intStart = at;
  while (at < end && isDigit(buf[at] as number)) at++;
  const intDigits = at - intStart;
  if (intDigits === 0 || (intDigits > 1 && buf[intStart] === 0x30)) return NOT_CANONICAL;
  let fracDigits = 0;
  let leadingZeros = 0;
  if (buf[at] === 0x2e) {
    const fracStart = ++at;
    while (at < end && isDigit(buf[at] as number)) at++;
    fracDigits = at - fracStart;
    if (fracDigits === 0 || buf[at - 1] === 0x30) return NOT_CANONICAL;
    while (leadingZeros < fracDigits && buf[fracStart + leadingZeros] === 0x30) leadingZeros++;
  }
  const c = buf[at];
  const zeroInt = intDigits === 1 && buf[intStart] === 0x30;
  if (c !== 0x65 && c !== 0x45) {
    if (zeroInt && fracDigits === 0 && at - i === 2) return NOT_CANONICAL; // "-0" prints as "0"
    // Up to 15 significant digits, and a size JS prints without an exponent, print back as
    // written (15 digits always round-trip through a double).
    const significant = zeroInt ? fracDigits - leadingZeros : intDigits + fracDigits;
    if (significant <= 15 && !(zeroInt && leadingZeros > 5)) return at;
  } else {
    at++;
    if (buf[at] === 0x2b || buf[at] === 0x2d) at++;
    const expStart = at;
    while (at < end && isDigit(buf[at] as number)) at++;
    if (at === expStart) return NOT_CANONICAL;
  }
  // Anything else must print back to itself (this also refuses overflow to Infinity).
  let literal = "";
  for (let k = i; k < at; k++) literal += String.fromCharCode(buf[k] as number);
  return String(Number(literal)) === literal ? at : NOT_CANONICAL;
}
