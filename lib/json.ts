// Small JSON helpers shared by the engine, the suite and the fixtures.

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
