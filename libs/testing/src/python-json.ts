/*
 * The request body the public Python SDK sends (reference §6.1): `json.dumps(body)` with Python's
 * defaults — `", "` and `": "` as separators, keys in insertion order, non-ASCII escaped as `\uXXXX`
 * (`ensure_ascii=True`), `None` as `null`.
 */

/** A JSON value as Python's `json.dumps(value)` writes it with the default arguments. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`json.dumps would write ${value}, which is not JSON`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  throw new Error(`json.dumps cannot write a ${typeof value}`);
}
