// Every optimizer and option combination on the wasm backend (the f32x4 fused kernels of @nn/tensor's
// assembly/optim.ts) against the cpu backend (the float64 reference loops), step by step, over odd lengths
// that reach the kernels' vector loop and their scalar tail.
import { setBackend, tensor, type Tensor } from '@nn/tensor';
import '@nn/tensor/wasm';
import { describe, expect, it } from 'vitest';
import { decodeFloat32, type EncodedArray } from './index.js';
import * as optim from './index.js';
import type { Optimizer } from './optimizer.js';

type Make = (params: Tensor[], options: Record<string, unknown>) => Optimizer;
const CLASSES = optim as unknown as Record<string, new (params: Tensor[], options: Record<string, unknown>) => Optimizer>;

const CASES: [string, Record<string, unknown>][] = [
  ['SGD', { lr: 0.1 }],
  ['SGD', { lr: 0.1, weightDecay: 0.01 }],
  ['SGD', { lr: 0.1, momentum: 0.9 }],
  ['SGD', { lr: 0.1, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }],
  ['SGD', { lr: 0.1, momentum: 0.9, nesterov: true }],
  ['SGD', { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01, maximize: true }],
  ['Adagrad', { lr: 0.1 }],
  ['Adagrad', { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1, epsInsideSqrt: true, eps: 1e-3, maximize: true }],
  ['RMSprop', { lr: 0.01 }],
  ['RMSprop', { lr: 0.01, centered: true }],
  ['RMSprop', { lr: 0.01, momentum: 0.9 }],
  ['RMSprop', { lr: 0.01, centered: true, momentum: 0.9, weightDecay: 0.01, epsInsideSqrt: true, eps: 1e-3, maximize: true }],
  ['Adadelta', {}],
  ['Adadelta', { weightDecay: 0.01, maximize: true }],
  ['Adam', { lr: 0.01 }],
  ['Adam', { lr: 0.01, amsgrad: true }],
  ['Adam', { lr: 0.01, weightDecay: 0.01 }],
  ['Adam', { lr: 0.01, epsInsideSqrt: true, eps: 1e-3, maximize: true }],
  ['AdamW', { lr: 0.01 }],
  ['AdamW', { lr: 0.01, amsgrad: true, epsInsideSqrt: true, eps: 1e-3, maximize: true }],
  ['NAdam', {}],
  ['NAdam', { weightDecay: 0.01 }],
  ['NAdam', { weightDecay: 0.01, decoupledWeightDecay: true, epsInsideSqrt: true, eps: 1e-3, maximize: true }],
  ['NAdam', { legacyMuProduct: true }],
  ['Adamax', {}],
  ['Adamax', { eps: 0.05, weightDecay: 0.01, maximize: true }],
];

const SIZES = [1, 3, 37, 1001];
const STEPS = 6;

/** Deterministic float32 values: mulberry32, mapped to a spread of magnitudes and both signs. */
function values(n: number, seed: number, scale: number): Float32Array {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Float32Array.from({ length: n }, () => (next() - 0.5) * 2 * scale * 10 ** (next() * 2 - 1));
}

interface Snapshot {
  w: Float32Array;
  state: Record<string, Float32Array>;
}

function trajectory(backend: 'cpu' | 'wasm', make: Make, options: Record<string, unknown>, n: number): Snapshot[] {
  setBackend(backend);
  try {
    const p = tensor(values(n, n, 1));
    p.requiresGrad = true;
    const opt = make([p], options);
    const out: Snapshot[] = [];
    for (let s = 0; s < STEPS; s++) {
      p.grad = tensor(values(n, 1000 * (s + 1) + n, 0.1));
      opt.step();
      const saved = opt.stateDict().state['0'];
      const state: Record<string, Float32Array> = {};
      for (const [k, v] of Object.entries(saved)) if (typeof v !== 'number') state[k] = decodeFloat32((v as EncodedArray).base64)!;
      out.push({ w: p.dataSync().slice(), state });
    }
    return out;
  } finally {
    setBackend('cpu');
  }
}

const bitsDiffer = (a: Float32Array, b: Float32Array) => a.some((v, i) => !Object.is(v, b[i]));

/**
 * float32 tolerance, as the golden file's (1e-5 relative): |wasm − cpu| ≤ 1e-5·|cpu| + 1e-6·max|cpu| over
 * the array. The absolute part covers moving averages that cancel (β·m + (1−β)·d with opposite signs), where
 * the result is small and both backends' rounding error is that of the terms. Measured worst: 0.35 of this.
 */
function expectClose(wasm: Float32Array, cpu: Float32Array, where: string): void {
  const scale = cpu.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  cpu.forEach((want, i) => {
    const tol = 1e-5 * Math.abs(want) + 1e-6 * scale;
    if (!(Math.abs(wasm[i] - want) <= tol)) throw new Error(`${where}[${i}]: wasm ${wasm[i]} vs cpu ${want} (tolerance ${tol})`);
  });
}

describe('wasm fused updates (f32x4) vs the cpu reference loops (float64), step by step', () => {
  for (const [name, options] of CASES) {
    it(`${name} ${JSON.stringify(options)}, lengths ${SIZES.join(', ')}`, () => {
      const make: Make = (params, o) => new CLASSES[name](params, o);
      let differs = false;
      for (const n of SIZES) {
        const cpu = trajectory('cpu', make, options, n);
        const wasm = trajectory('wasm', make, options, n);
        for (let s = 0; s < STEPS; s++) {
          expect(Object.keys(wasm[s].state).sort()).toEqual(Object.keys(cpu[s].state).sort());
          expectClose(wasm[s].w, cpu[s].w, `n=${n} step ${s} param`);
          differs ||= bitsDiffer(wasm[s].w, cpu[s].w);
          for (const k of Object.keys(cpu[s].state)) expectClose(wasm[s].state[k], cpu[s].state[k], `n=${n} step ${s} ${k}`);
        }
      }
      // float32 arithmetic leaves last-bit differences somewhere: the reference loop is not what ran.
      expect(differs).toBe(true);
    });
  }
});
