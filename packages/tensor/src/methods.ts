// PyTorch-style methods mirroring the op functions (`x.matmul(w).add(b).relu()`), attached here rather than
// in the class so tensor.ts does not depend on every op module. Their types are declared in tensor.ts itself
// (an interface merged with the class): a `declare module './tensor.js'` augmentation here would survive into
// the bundled dist/index.d.ts pointing at a module that does not exist there, and users would lose the methods.
import { backward } from './grad.js';
import * as act from './ops/activations.js';
import * as ew from './ops/elementwise.js';
import * as lay from './ops/layout.js';
import { matmul, type MatmulOptions } from './ops/matmul.js';
import * as red from './ops/reduce.js';
import type { TensorLike } from './ops/util.js';
import { Tensor, type BackwardOptions } from './tensor.js';

type Axis = red.Axis;

Object.assign(Tensor.prototype, {
  backward(this: Tensor, gradient?: Tensor, options?: BackwardOptions) {
    backward(this, gradient, options);
  },
  add(this: Tensor, b: TensorLike) { return ew.add(this, b); },
  sub(this: Tensor, b: TensorLike) { return ew.sub(this, b); },
  mul(this: Tensor, b: TensorLike) { return ew.mul(this, b); },
  div(this: Tensor, b: TensorLike) { return ew.div(this, b); },
  pow(this: Tensor, b: TensorLike) { return ew.pow(this, b); },
  neg(this: Tensor) { return ew.neg(this); },
  abs(this: Tensor) { return ew.abs(this); },
  exp(this: Tensor) { return ew.exp(this); },
  log(this: Tensor) { return ew.log(this); },
  sqrt(this: Tensor) { return ew.sqrt(this); },
  square(this: Tensor) { return ew.square(this); },
  sum(this: Tensor, axis?: Axis, keepDims?: boolean) { return red.sum(this, axis, keepDims); },
  mean(this: Tensor, axis?: Axis, keepDims?: boolean) { return red.mean(this, axis, keepDims); },
  max(this: Tensor, axis?: Axis, keepDims?: boolean) { return red.max(this, axis, keepDims); },
  min(this: Tensor, axis?: Axis, keepDims?: boolean) { return red.min(this, axis, keepDims); },
  argmax(this: Tensor, axis?: number, keepDims?: boolean) { return red.argmax(this, axis, keepDims); },
  matmul(this: Tensor, b: Tensor, options?: MatmulOptions) { return matmul(this, b, options); },
  transpose(this: Tensor, perm?: readonly number[]) { return lay.transpose(this, perm); },
  reshape(this: Tensor, shape: readonly number[]) { return lay.reshape(this, shape); },
  relu(this: Tensor) { return act.relu(this); },
  sigmoid(this: Tensor) { return act.sigmoid(this); },
  tanh(this: Tensor) { return act.tanh(this); },
  softmax(this: Tensor, axis?: number) { return act.softmax(this, axis); },
  detach(this: Tensor) { return lay.detach(this); },
  clone(this: Tensor) { return lay.clone(this); },
});
