import { expect, it } from 'vitest';
import * as nn from '../index.js';
import './index.js';

// The elementwise kernels run four vectors an iteration, then single vectors, then single floats
// (assembly/elementwise.ts). 37 = 2·16 + 4 + 1 floats go through all three; the conformance cases are too
// small to reach the first.
const N = 37;
const xs = Float32Array.from({ length: N }, (_, i) => Math.fround(Math.sin(i * 1.7) * 3));
const ys = Float32Array.from({ length: N }, (_, i) => Math.fround(Math.cos(i * 0.9) * 2 + 0.25));

function on(backend: 'cpu' | 'wasm', f: () => nn.Tensor): number[] {
  nn.setBackend(backend);
  try {
    return Array.from(f().dataSync());
  } finally {
    nn.setBackend('cpu');
  }
}

// float32 +, −, ×, ÷, sqrt, max, min are correctly rounded on both backends: bit for bit.
const EXACT: [string, (x: nn.Tensor, y: nn.Tensor) => nn.Tensor][] = [
  ['relu', (x) => nn.relu(x)],
  ['neg', (x) => nn.neg(x)],
  ['abs', (x) => nn.abs(x)],
  ['sqrt', (x) => nn.sqrt(nn.abs(x))],
  ['square', (x) => nn.square(x)],
  ['add', (x, y) => nn.add(x, y)],
  ['sub', (x, y) => nn.sub(x, y)],
  ['mul', (x, y) => nn.mul(x, y)],
  ['div', (x, y) => nn.div(x, y)],
  ['maximum', (x, y) => nn.maximum(x, y)],
  ['minimum', (x, y) => nn.minimum(x, y)],
];

for (const [name, f] of EXACT) {
  it(`${name} over ${N} floats on wasm equals cpu bit for bit`, () => {
    const run = () => f(nn.tensor(xs), nn.tensor(ys));
    expect(on('wasm', run)).toEqual(on('cpu', run));
  });
}

it('exp and sigmoid give each float the same value in the unrolled loop as alone (the tail path)', () => {
  for (const f of [nn.exp, nn.sigmoid]) {
    const all = on('wasm', () => f(nn.tensor(xs)));
    const alone = Array.from(xs, (x) => on('wasm', () => f(nn.tensor([x])))[0]);
    expect(all).toEqual(alone);
  }
});
