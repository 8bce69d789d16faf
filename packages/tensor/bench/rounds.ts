// How the benches interleave their columns (this package's bench.ts, @nn/layers' bench/fit.ts).

/**
 * The columns in round `round`'s order: rotated by one each round. Whichever column runs first in a round
 * pays for the switch from the last one (measured: ~1.5x slower epochs on the shared 2-core machine), so
 * each takes that place in turn and the per-column medians leave it out.
 */
export const roundOrder = <T>(columns: readonly T[], round: number): T[] => columns.map((_, i) => columns[(i + round) % columns.length]);
