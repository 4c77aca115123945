import { describeValue } from "../errors/describe-value.js";

/**
 * `Name: message` of a thrown value, or what was thrown when it is no readable Error. Never
 * throws itself: an error while describing an error would escape as the wrong one.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
  } catch {
    // A revoked Proxy cannot even be asked for its prototype.
  }
  return `thrown: ${describeValue(error)}`;
}
