import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nn from '../index.js';
import type { Backend } from '../backend.js';
import './index.js';

// The fused row-wise softmax/logSoftmax kernel (assembly/softmax.ts) against the op layer's composite of
// max, sub, exp, sum and log, run on the cpu backend (float64 kernels) on the same float32 inputs.

afterEach(() => {
  vi.restoreAllMocks();
  nn.setBackend('cpu');
});

const wasm = (): Backend => {
  nn.setBackend('wasm');
  const b = nn.getBackend();
  nn.setBackend('cpu');
  return b;
};

/** Runs `f` on a copy of `values` (shape `shape`) on `backend` and reads the result (and the gradient of sum(y·w)). */
function run(backend: string, values: Float32Array, shape: number[], f: (x: nn.Tensor) => nn.Tensor, w: Float32Array) {
  nn.setBackend(backend);
  try {
    const x = nn.tensor(values, shape);
    const y = f(x).dataSync();
    const g = nn.grad((t: nn.Tensor) => nn.sum(nn.mul(f(t), nn.tensor(w, shape))))(x).dataSync();
    return { y, g };
  } finally {
    nn.setBackend('cpu');
  }
}

/** |got − want| ≤ atol + rtol·|want|, NaN where want is NaN. */
function expectClose(got: Float32Array, want: Float32Array, what: string, atol = 1e-6, rtol = 2e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : got[i] === want[i] || Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]);
    if (!ok) expect.fail(`${what}[${i}] = ${got[i]}, want ${want[i]}`);
  }
}

const g = new nn.Generator(13);
const normal = (shape: number[], scale: number): Float32Array => nn.mul(nn.randn(shape, { generator: g }), scale).dataSync();

describe('wasm softmax/logSoftmax kernel', () => {
  const shapes = [[5, 1], [4, 3], [3, 37], [2, 1001], [2, 3, 37], [37]];
  for (const shape of shapes) {
    for (const scale of [1, 30, 1000]) {
      it(`equals the composite on [${shape}] with inputs of scale ${scale}, values and gradients`, () => {
        const x = normal(shape, scale);
        const w = normal(shape, 1);
        for (const [name, f] of [['softmax', nn.softmax], ['logSoftmax', nn.logSoftmax]] as const) {
          const want = run('cpu', x, shape, (t) => f(t), w);
          const got = run('wasm', x, shape, (t) => f(t), w);
          // logSoftmax's values reach −scale·σ·few: its error is relative to that, plus the log of the sum's.
          expectClose(got.y, want.y, `${name} y`, name === 'softmax' ? 1e-7 : 1e-5);
          expectClose(got.g, want.g, `${name} dx`, 1e-5, 1e-4);
        }
      });
    }
  }

  it('masks with −Infinity, rows all −Infinity give NaN, +Infinity and NaN as the composite', () => {
    const row = (...v: number[]) => v;
    const values = Float32Array.from([
      ...row(1, -Infinity, 2, -Infinity, 3),
      ...row(-Infinity, -Infinity, -Infinity, -Infinity, -Infinity),
      ...row(Infinity, 1, 2, 3, 4),
      ...row(0, NaN, 1, 2, 3),
      ...row(100, -100, 88, -88, 0),
    ]);
    const shape = [5, 5];
    for (const f of [nn.softmax, nn.logSoftmax]) {
      nn.setBackend('cpu');
      const want = f(nn.tensor(values, shape)).dataSync();
      nn.setBackend('wasm');
      const got = f(nn.tensor(values, shape)).dataSync();
      expectClose(got, want, f.name);
    }
    nn.setBackend('wasm');
    const p = nn.softmax(nn.tensor(values, shape)).dataSync();
    expect(Array.from(p.slice(0, 5)).map((v) => +v.toFixed(6))).toEqual([0.090031, 0, 0.244728, 0, 0.665241]);
    expect(Array.from(p.slice(5, 10)).every(Number.isNaN)).toBe(true);
  });

  it('runs the backend kernel along the last axis (once per call) and the composite along another', () => {
    const b = wasm();
    const spy = vi.spyOn(b as Required<Backend>, 'softmax');
    nn.setBackend('wasm');
    const x = nn.tensor(normal([3, 4], 1), [3, 4]);
    nn.softmax(x);
    nn.logSoftmax(x, 1);
    expect(spy.mock.calls.map((c) => [c[1], c[2], c[3]])).toEqual([[3, 4, false], [3, 4, true]]);
    const along0 = nn.softmax(x, 0).dataSync();
    expect(spy).toHaveBeenCalledTimes(2);
    nn.setBackend('cpu');
    expectClose(along0, nn.softmax(nn.tensor(x.dataSync(), [3, 4]), 0).dataSync(), 'softmax axis 0');
  });

  it('keeps empty inputs empty and leaves a rank-0 softmax an error', () => {
    nn.setBackend('wasm');
    expect(nn.softmax(nn.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(nn.logSoftmax(nn.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(() => nn.softmax(nn.scalar(1))).toThrow(/softmax: needs a tensor of rank >= 1/);
  });
});
