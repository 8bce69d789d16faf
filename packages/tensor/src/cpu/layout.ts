import { sizeOf, stridesOf, type Shape } from '../shape.js';
import { forEachStrided } from './elementwise.js';

const copyRun = (out: Float32Array, x: Float32Array) => (o: number, n: number, [ix]: number[], [sx]: number[]) => {
  for (let i = 0; i < n; i++, ix += sx) out[o + i] = x[ix];
};

export function transpose(x: Float32Array, shape: Shape, perm: readonly number[]): Float32Array {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const out = new Float32Array(x.length);
  forEachStrided(outShape, [perm.map((p) => inStrides[p])], copyRun(out, x));
  return out;
}

export function slice(x: Float32Array, shape: Shape, begin: readonly number[], size: readonly number[]): Float32Array {
  const inStrides = stridesOf(shape);
  const out = new Float32Array(sizeOf(size));
  const base = begin.reduce((acc, b, i) => acc + b * inStrides[i], 0);
  forEachStrided(size, [inStrides], copyRun(out, x), [base]);
  return out;
}

/** Writes `x` into `out` (of `outShape`) starting at `begin`: the adjoint of slice, and the core of pad/concat. */
function place(out: Float32Array, outShape: Shape, x: Float32Array, shape: Shape, begin: readonly number[]): void {
  const outStrides = stridesOf(outShape);
  const base = begin.reduce((acc, b, i) => acc + b * outStrides[i], 0);
  forEachStrided(shape, [outStrides], (o, n, [io], [so]) => {
    for (let i = 0; i < n; i++, io += so) out[io] = x[o + i];
  }, [base]);
}

export function pad(x: Float32Array, shape: Shape, paddings: readonly (readonly [number, number])[], value: number): Float32Array {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const out = new Float32Array(sizeOf(outShape));
  if (value !== 0) out.fill(value);
  place(out, outShape, x, shape, paddings.map((p) => p[0]));
  return out;
}

export function concat(xs: readonly Float32Array[], shapes: readonly Shape[], axis: number, outShape: Shape): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  let at = 0;
  xs.forEach((x, k) => {
    place(out, outShape, x, shapes[k], outShape.map((_, i) => (i === axis ? at : 0)));
    at += shapes[k][axis];
  });
  return out;
}

export function gather(x: Float32Array, shape: Shape, indices: Float32Array, count: number, axis: number): Float32Array {
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const out = new Float32Array(outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const src = (o * n + indices[j]) * inner;
      out.set(x.subarray(src, src + inner), (o * count + j) * inner);
    }
  }
  return out;
}

export function scatterAdd(updates: Float32Array, indices: Float32Array, count: number, axis: number, outShape: Shape): Float32Array {
  const n = outShape[axis];
  const inner = sizeOf(outShape.slice(axis + 1));
  const outer = sizeOf(outShape.slice(0, axis));
  const out = new Float32Array(sizeOf(outShape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const dst = (o * n + indices[j]) * inner;
      const src = (o * count + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += updates[src + i];
    }
  }
  return out;
}

export function oneHot(indices: Float32Array, count: number, depth: number, on: number, off: number): Float32Array {
  const out = new Float32Array(count * depth);
  if (off !== 0) out.fill(off);
  for (let i = 0; i < count; i++) {
    const k = indices[i];
    if (k >= 0 && k < depth) out[i * depth + k] = on;
  }
  return out;
}
