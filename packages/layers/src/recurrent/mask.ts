import { ErrorCode, NNError } from '@nn/core';
import type { Tensor } from '@nn/tensor';

// Keras' masks travel beside tensors: an embedding with `maskZero` marks its output, and the recurrent layers
// that read it skip the padded steps. A WeakMap keeps the mark without changing the Tensor class and lets the
// pair be collected together.
const masks = new WeakMap<Tensor, Tensor>();

/** Marks `x`'s time steps: `mask` is `[batch, time]`, nonzero where a step is real and 0 where it is padding. */
export function setMask(x: Tensor, mask: Tensor | undefined): Tensor {
  if (!mask) return x;
  if (mask.rank !== 2 || x.rank < 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
    throw new NNError(ErrorCode.ShapeMismatch, `mask: a mask of shape [${mask.shape.join(',')}] does not fit a tensor of shape [${x.shape.join(',')}]; it must be [batch, time]`);
  }
  masks.set(x, mask);
  return x;
}

/** The mask `x` carries (set by an embedding with `maskZero`, a masking layer or a masked RNN), if any. */
export const getMask = (x: Tensor): Tensor | undefined => masks.get(x);
