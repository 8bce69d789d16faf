// JSON cannot hold NaN or ±Infinity, which intermediate values and objective values may be: the stores write
// them as { $num: "NaN" }. Shared by the SQLite and PostgreSQL stores (and the PostgreSQL thread, which must
// not import @nn/core), so a study copied between them is bit-for-bit the same.

/** JSON text of `v`, with non-finite numbers kept. */
export const encode = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? { $num: String(x) } : x));

/** The value `encode` wrote. */
export const decode = <T>(s: unknown): T =>
  JSON.parse(s as string, (_k, x) => (x !== null && typeof x === 'object' && !Array.isArray(x) && typeof x.$num === 'string' && Object.keys(x).length === 1 ? Number(x.$num) : x)) as T;
