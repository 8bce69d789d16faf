import { ErrorCode, NNError } from '@nn/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { FusedUpdateRule, FusedUpdateScalars } from '../backend.js';
import { fusedUpdate as cpuUpdate } from '../cpu/optimizers.js';
import * as nn from '../index.js';
import './index.js';

// The f32x4 optimizer kernels (assembly/optim.ts) at the kernel level: they run (the backend reports the
// update done), vector lanes and the scalar tail compute alike, and one step agrees with the cpu reference
// loop. @nn/optim's wasm-fused.test.ts runs every optimizer and option through them for several steps.

/** State arrays that hold squares or maxima start non-negative. */
const POSITIVE = new Set(['sum', 'squareAvg', 'accDelta', 'expAvgSq', 'maxExpAvgSq', 'expInf']);

const CASES: [FusedUpdateRule, FusedUpdateScalars, string[]][] = [
  ['sgd', { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: 0, first: 0 }, []],
  ['sgd', { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01, nesterov: 0, first: 1 }, ['momentumBuffer']],
  ['sgd', { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: 1, first: 0 }, ['momentumBuffer']],
  ['adagrad', { clr: 0.1, weightDecay: 0.01, eps: 1e-3, epsInsideSqrt: 1 }, ['sum']],
  ['rmsprop', { lr: 0.01, alpha: 0.99, eps: 1e-3, weightDecay: 0.01, momentum: 0.9, centered: 1, epsInsideSqrt: 0 }, ['squareAvg', 'gradAvg', 'momentumBuffer']],
  ['rmsprop', { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: 0, epsInsideSqrt: 0 }, ['squareAvg']],
  ['adadelta', { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0.01 }, ['squareAvg', 'accDelta']],
  ['adam', { a: 0.01, e: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: 0, shrink: Math.fround(1 - 1e-4), amsgrad: 1, epsInsideSqrt: 0 }, ['expAvg', 'expAvgSq', 'maxExpAvgSq']],
  ['adam', { a: 0.01, e: 1e-3, beta1: 0.9, beta2: 0.999, weightDecay: 0.01, shrink: 1, amsgrad: 0, epsInsideSqrt: 1 }, ['expAvg', 'expAvgSq']],
  ['nadam', { sg: -1e-3, sm: -1e-2, e: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: 0.01, shrink: 1, epsInsideSqrt: 0 }, ['expAvg', 'expAvgSq']],
  ['adamax', { clr: 2e-3, beta1: 0.9, beta2: 0.999, eps: 0.05, weightDecay: 0.01 }, ['expAvg', 'expInf']],
];

const N = 37; // 9 vectors and a tail of 1

function values(n: number, seed: number, positive: boolean): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const v = Math.sin(seed * 12.9898 + i * 78.233) * 0.5;
    return positive ? Math.abs(v) + 0.5 : v;
  });
}

interface Arrays {
  w: Float32Array;
  g: Float32Array;
  state: Record<string, Float32Array>;
}

function inputs(keys: string[], n: number): Arrays {
  const state: Record<string, Float32Array> = {};
  // The centered average stays small beside the root of the squared one, as it does in training.
  keys.forEach((k, i) => (state[k] = k === 'gradAvg' ? values(n, 3 + i, false).map((v) => v * 0.1) : values(n, 3 + i, POSITIVE.has(k))));
  return { w: values(n, 1, false), g: values(n, 2, false), state };
}

/** One update on wasm through the public op; returns what it reported and the arrays after it. */
function onWasm(rule: FusedUpdateRule, scalars: FusedUpdateScalars, x: Arrays): { ran: boolean; out: Arrays } {
  nn.setBackend('wasm');
  const w = nn.tensor(x.w);
  const g = nn.tensor(x.g);
  const st = Object.fromEntries(Object.entries(x.state).map(([k, v]) => [k, nn.tensor(v)]));
  const ran = nn.fusedUpdate(rule, w, g, st, scalars);
  const state = Object.fromEntries(Object.entries(st).map(([k, t]) => [k, t.dataSync().slice()]));
  return { ran, out: { w: w.dataSync().slice(), g: g.dataSync().slice(), state } };
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

afterEach(() => nn.setBackend('cpu'));

describe('wasm fused updates (assembly/optim.ts)', () => {
  CASES.forEach(([rule, scalars, keys]) => {
    const label = `${rule} ${Object.entries(scalars).map(([k, v]) => `${k}=${v}`).join(' ')}`;

    it(`${label}: runs the kernel, and the tail computes as the vector lanes do`, () => {
      const all = onWasm(rule, scalars, inputs(keys, N));
      expect(all.ran).toBe(true);
      const x = inputs(keys, N);
      for (let i = 0; i < N; i++) {
        const one: Arrays = { w: x.w.subarray(i, i + 1), g: x.g.subarray(i, i + 1), state: Object.fromEntries(keys.map((k) => [k, x.state[k].subarray(i, i + 1)])) };
        const alone = onWasm(rule, scalars, one).out;
        expect(bits(alone.w)).toEqual(bits(all.out.w.subarray(i, i + 1)));
        for (const k of keys) expect(bits(alone.state[k])).toEqual(bits(all.out.state[k].subarray(i, i + 1)));
      }
      expect(bits(all.out.g)).toEqual(bits(x.g));
    });

    it(`${label}: one step agrees with the cpu reference loop to float32 rounding`, () => {
      const { out } = onWasm(rule, scalars, inputs(keys, 1001));
      const ref = inputs(keys, 1001);
      cpuUpdate(rule, ref.w, ref.g, ref.state, 1001, scalars);
      // One step: a few float32 roundings apart, relative to the operands' size (values are about 0.5).
      const near = (a: Float32Array, b: Float32Array) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(2e-6 * Math.max(Math.abs(b[i]), 0.1)));
      near(out.w, ref.w);
      for (const k of keys) near(out.state[k], ref.state[k]);
    });
  });

  it('names the rule and the state tensor it lacks, and leaves unknown rules to the caller', () => {
    nn.setBackend('wasm');
    const w = nn.tensor([1, 2]);
    const g = nn.tensor([0.5, 0.5]);
    const err = (() => {
      try {
        nn.fusedUpdate('adam', w, g, { expAvg: nn.tensor([0, 0]) }, CASES[8][1]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NNError);
    expect((err as NNError).code).toBe(ErrorCode.InvalidArgument);
    expect((err as Error).message).toBe("fusedUpdate (adam): the state has no 'expAvgSq' tensor");
    expect(nn.fusedUpdate('lion' as FusedUpdateRule, w, g, {}, {})).toBe(false);
    expect(Array.from(w.dataSync())).toEqual([1, 2]);
  });
});
