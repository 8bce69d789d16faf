// How the benches interleave their columns (this package's bench.ts, @nn/layers' bench/fit.ts).

/**
 * The columns in round `round`'s order: rotated by one each round, so no column always runs first after
 * the switch from the last. With a fixed order, fit's wasm x1 and x2 columns (one model) swapped ranks
 * when they swapped places; rotating, each takes every place in turn and the medians leave that out.
 */
export const roundOrder = <T>(columns: readonly T[], round: number): T[] => columns.map((_, i) => columns[(i + round) % columns.length]);
