import type { ReduceOp } from '../backend.js';
import { sizeOf, type Shape } from '../shape.js';
import { forEachBroadcast } from './elementwise.js';

/** Reduction over `axes`: the reduced output, seen with size-1 axes, broadcasts back onto the input. */
export function reduce(op: ReduceOp, x: Float32Array, shape: Shape, axes: readonly number[]): Float32Array {
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = sizeOf(keptShape);
  // Sums accumulate in float64: the result is then the correctly rounded float32 of the exact sum, more
  // faithful than any float32 summation order.
  const acc = new Float64Array(outSize).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
  const rank = shape.length;
  const last = rank - 1;
  if (rank > 0 && axes.length === 1 && axes[0] === last) {
    const n = shape[last];
    for (let o = 0; o < outSize; o++) {
      let v = acc[o];
      const base = o * n;
      if (op === 'sum') for (let i = 0; i < n; i++) v += x[base + i];
      else if (op === 'max') for (let i = 0; i < n; i++) v = x[base + i] > v || Number.isNaN(x[base + i]) ? x[base + i] : v;
      else for (let i = 0; i < n; i++) v = x[base + i] < v || Number.isNaN(x[base + i]) ? x[base + i] : v;
      acc[o] = v;
    }
  } else {
    forEachBroadcast(shape, [shape, keptShape], (_o, n, [ix, io], [sx, so]) => {
      if (op === 'sum') for (let i = 0; i < n; i++, ix += sx, io += so) acc[io] += x[ix];
      else if (op === 'max') for (let i = 0; i < n; i++, ix += sx, io += so) acc[io] = x[ix] > acc[io] || Number.isNaN(x[ix]) ? x[ix] : acc[io];
      else for (let i = 0; i < n; i++, ix += sx, io += so) acc[io] = x[ix] < acc[io] || Number.isNaN(x[ix]) ? x[ix] : acc[io];
    });
  }
  return Float32Array.from(acc);
}

/**
 * Σx² in float64 (the square of a float32 is exact there), rounded once. Four accumulators: one float64 add
 * chain is latency-bound at about half this speed; the order changes the float64 sum only far below
 * float32's precision. Written so that V8 keeps it fast when called with both long and tiny arrays (a
 * shared index across the unrolled and the tail loop ran 1M elements 10x slower once 1-element calls mixed in).
 */
export function sumSquares(x: Float32Array, size: number): Float32Array {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const n4 = size - (size % 4);
  for (let i = 0; i < n4; i += 4) {
    const p = x[i];
    const q = x[i + 1];
    const r = x[i + 2];
    const s = x[i + 3];
    a += p * p;
    b += q * q;
    c += r * r;
    d += s * s;
  }
  for (let i = n4; i < size; i++) {
    const p = x[i];
    a += p * p;
  }
  return Float32Array.of(a + b + (c + d));
}

export function argReduce(op: 'argmax' | 'argmin', x: Float32Array, shape: Shape, axis: number): Float32Array {
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Float32Array(outer * inner);
  const better = op === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let best = 0;
      let bestV = x[o * n * inner + j];
      for (let i = 1; i < n && !Number.isNaN(bestV); i++) {
        const v = x[(o * n + i) * inner + j];
        if (better(v, bestV) || Number.isNaN(v)) {
          best = i;
          bestV = v;
        }
      }
      out[o * inner + j] = best;
    }
  }
  return out;
}
