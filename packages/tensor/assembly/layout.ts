// Copies between layouts: one strided walk serves transpose, slice, pad and concat.

/**
 * For each element of a `rank`-axis index space of sizes at `shape` (row-major), copies
 * x[xBase + Σ idx·xStrides] to out[outBase + Σ idx·outStrides] (element strides). Contiguous runs along the
 * last axis are copied with memory.copy.
 */
export function copyStrided(x: usize, xBase: i32, xStrides: usize, out: usize, outBase: i32, outStrides: usize, rank: i32, shape: usize, counter: usize): void {
  let total: i32 = 1;
  for (let d = 0; d < rank; d++) total *= load<i32>(shape + (<usize>d << 2));
  if (total == 0) return;
  const last = <usize>(rank - 1) << 2;
  const inner = load<i32>(shape + last);
  const sx = load<i32>(xStrides + last);
  const so = load<i32>(outStrides + last);
  for (let d = 0; d < rank; d++) store<i32>(counter + (<usize>d << 2), 0);
  let ix = xBase;
  let io = outBase;
  for (let o = 0; o < total; o += inner) {
    if (sx == 1 && so == 1) memory.copy(out + (<usize>io << 2), x + (<usize>ix << 2), <usize>inner << 2);
    else for (let i = 0; i < inner; i++) store<f32>(out + (<usize>(io + i * so) << 2), load<f32>(x + (<usize>(ix + i * sx) << 2)));
    for (let d = rank - 2; d >= 0; d--) {
      const at = counter + (<usize>d << 2);
      const k = load<i32>(at) + 1;
      const size = load<i32>(shape + (<usize>d << 2));
      const stX = load<i32>(xStrides + (<usize>d << 2));
      const stO = load<i32>(outStrides + (<usize>d << 2));
      ix += stX;
      io += stO;
      if (k < size) {
        store<i32>(at, k);
        break;
      }
      ix -= stX * size;
      io -= stO * size;
      store<i32>(at, 0);
    }
  }
}

/** out[o, j, :] = x[o, indices[j], :] with x of shape [outer, n, inner]. */
export function gather(x: usize, indices: usize, out: usize, outer: i32, n: i32, inner: i32, count: i32): void {
  const bytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const k = <i32>load<f32>(indices + (<usize>j << 2));
      memory.copy(out + (<usize>((o * count + j) * inner) << 2), x + (<usize>((o * n + k) * inner) << 2), bytes);
    }
  }
}

/** out (zeroed, [outer, n, inner]) [o, indices[j], :] += updates[o, j, :]. */
export function scatterAdd(updates: usize, indices: usize, out: usize, outer: i32, n: i32, inner: i32, count: i32): void {
  memory.fill(out, 0, <usize>(outer * n * inner) << 2);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const k = <i32>load<f32>(indices + (<usize>j << 2));
      const dst = out + (<usize>((o * n + k) * inner) << 2);
      const src = updates + (<usize>((o * count + j) * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const at = <usize>i << 2;
        v128.store(dst + at, f32x4.add(v128.load(dst + at), v128.load(src + at)));
      }
      for (; i < inner; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) + load<f32>(src + (<usize>i << 2)));
    }
  }
}

export function oneHot(indices: usize, out: usize, count: i32, depth: i32, on: f32, off: f32): void {
  for (let i = 0; i < count * depth; i++) store<f32>(out + (<usize>i << 2), off);
  for (let i = 0; i < count; i++) {
    const k = load<f32>(indices + (<usize>i << 2));
    if (k >= 0 && k < <f32>depth) store<f32>(out + (<usize>(i * depth + <i32>k) << 2), on);
  }
}
