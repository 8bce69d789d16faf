// The SQLite and PostgreSQL stores keep trials in the same columns (the JSON fields encoded by json-codec), so
// one function reads a row back into a trial for both.
import { decode } from './json-codec.js';
import { freeze } from './storage-memory.js';
import type { FrozenTrial, TrialState } from './types.js';

/** The frozen trial a `trials` row holds (columns: number, state, vals, params, …, error). */
export function decodeTrialRow(row: Record<string, unknown>): FrozenTrial {
  return freeze({
    number: row.number as number,
    state: row.state as TrialState,
    values: row.vals === null ? null : decode<number[]>(row.vals),
    params: decode(row.params),
    distributions: decode(row.distributions),
    intermediateValues: decode(row.intermediate),
    userAttrs: decode(row.user_attrs),
    systemAttrs: decode(row.system_attrs),
    datetimeStart: row.datetime_start as number | null,
    datetimeComplete: row.datetime_complete as number | null,
    error: row.error as string | null,
  });
}
