import type { JsonObject } from '@nn/core';
import type { Distribution, FrozenTrial, ParamValue, Sampler, StudyView } from '@nn/hpo';

/** The radical inverse of `n` in base `b`: the Halton sequence's coordinate. */
function radicalInverse(n: number, b: number): number {
  let f = 1;
  let r = 0;
  for (let i = n; i > 0; i = Math.floor(i / b)) {
    f /= b;
    r += f * (i % b);
  }
  return r;
}

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];

/**
 * A quasi-random sampler: trial n gets the n-th Halton point (one prime base per parameter, in the order
 * parameters are first suggested). Deterministic, so it needs no state to resume.
 */
export class HaltonSampler implements Sampler {
  readonly skip: number;
  private readonly dims = new Map<string, number>();

  constructor({ skip = 1 }: { skip?: number } = {}) {
    this.skip = skip;
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    if (!this.dims.has(name)) this.dims.set(name, this.dims.size);
    const u = radicalInverse(trial.number + this.skip, PRIMES[this.dims.get(name)! % PRIMES.length]!);
    if (d.type === 'categorical') return d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))]!;
    const [lo, hi] = d.log ? [Math.log(d.low), Math.log(d.high)] : [d.low, d.high];
    const v = d.log ? Math.exp(lo + u * (hi - lo)) : lo + u * (hi - lo);
    return d.type === 'int' ? Math.min(d.high, Math.round(v)) : v;
  }

  getConfig(): JsonObject {
    return { skip: this.skip };
  }

  static fromConfig(config: JsonObject): HaltonSampler {
    return new HaltonSampler(config as { skip?: number });
  }
}
