/**
 * JSON as Go's encoding/json writes it: JSON.stringify plus its HTML-safe escapes, so the
 * bytes (and so the ids) of what we write match what restic would write for the same values.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
