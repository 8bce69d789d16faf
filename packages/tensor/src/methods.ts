// PyTorch-style methods mirroring the op functions (`x.matmul(w).add(b).relu()`), attached here rather than
// in the class so tensor.ts does not depend on every op module.
import { backward } from './grad.js';
import * as act from './ops/activations.js';
import * as ew from './ops/elementwise.js';
import * as lay from './ops/layout.js';
import { matmul, type MatmulOptions } from './ops/matmul.js';
import * as red from './ops/reduce.js';
import type { TensorLike } from './ops/util.js';
import { Tensor } from './tensor.js';

type Axis = red.Axis;

declare module './tensor.js' {
  interface Tensor {
    /** Fills `.grad` of every leaf that requires gradients (this tensor must be a scalar unless `gradient` is given). */
    backward(gradient?: Tensor): void;
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    square(): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor;
    mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor;
    min(axis?: Axis, keepDims?: boolean): Tensor;
    argmax(axis?: number, keepDims?: boolean): Tensor;
    matmul(b: Tensor, options?: MatmulOptions): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    reshape(shape: readonly number[]): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    softmax(axis?: number): Tensor;
    detach(): Tensor;
    clone(): Tensor;
  }
}

Object.assign(Tensor.prototype, {
  backward(this: Tensor, gradient?: Tensor) {
    backward(this, gradient);
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
