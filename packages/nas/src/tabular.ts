import { ErrorCode, NNError } from '@nn/core';
import type { SpaceModel } from './spaces.js';
import table from '../data/mlp-digits-bench.json';
import type { Architecture, SearchSpace } from './space.js';
import { digitsMlpSpace } from './tabular-space.js';

/** An architecture's recorded result in a tabular benchmark. */
export interface TabularEntry {
  validationAccuracy: number;
  testAccuracy: number;
}

/** A tabular benchmark: every architecture of a space with its recorded accuracies, queried in microseconds. */
export interface TabularBenchmark {
  name: string;
  space: SearchSpace<SpaceModel>;
  /** How the table was made (split, optimizer, epochs, seeds). */
  training: Record<string, unknown>;
  size: number;
  query(architecture: Architecture): TabularEntry;
  /** The best validation accuracy in the table (regret is measured from it) and the test accuracy of that architecture. */
  best: TabularEntry & { architecture: Architecture };
}

/**
 * The shipped tabular benchmark (NAS-Bench style): all 420 architectures of {@link digitsMlpSpace}, each
 * trained three times on the digits with fixed seeds (mean accuracies). Compare strategies by querying it instead of training.
 */
export function digitsMlpBenchmark(): TabularBenchmark {
  const space = digitsMlpSpace();
  const entries = table.entries as unknown as Record<string, [number, number]>;
  const query = (architecture: Architecture): TabularEntry => {
    const key = space.key(architecture);
    const e = entries[key];
    if (!e) throw new NNError(ErrorCode.InvalidArgument, `digitsMlpBenchmark: no entry for architecture ${key}`);
    return { validationAccuracy: e[0], testAccuracy: e[1] };
  };
  let best: TabularBenchmark['best'] | null = null;
  for (const a of space.enumerate()) {
    const e = query(a);
    if (!best || e.validationAccuracy > best.validationAccuracy) best = { ...e, architecture: a };
  }
  return { name: table.name, space, training: table.training, size: Object.keys(entries).length, query, best: best! };
}
