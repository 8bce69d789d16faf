import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, mul, setBackend, sum, tensor, transpose, type Tensor } from '@nn/tensor';
import '@nn/tensor/wasm';
import golden from './fixtures/conv.json';
import { avgPool2d, batchNorm, conv2d, depthwiseConv2d, globalAvgPool, maxPool2d, type Layer } from './index.js';
import { expectClose } from './testing/close.js';

type Case = (typeof golden.cases)[number] & Record<string, unknown>;
const cases = golden.cases as Case[];
const nested = (v: unknown) => v as number[];

/** Runs `layer` on the case's x, backpropagates L = sum(upstream·y) and checks y and dL/dx. */
function forwardBackward(layer: Layer, c: Case, what: string, tol: number, yKey = 'y_nhwc'): Tensor {
  const x = tensor(nested(c.x_nhwc));
  x.requiresGrad = true;
  const y = layer.apply(x, { training: true });
  expect(y.backend.name).toBe(getBackend().name);
  expectClose(y, nested(c[yKey]), tol, `${what} y`);
  sum(mul(y, tensor(nested(c.upstream)))).backward();
  expectClose(x.grad!, nested(c.dL_dx), tol, `${what} dL/dx`);
  return x;
}

/** torch's [out, in/groups, kh, kw] as Keras' [kh, kw, in/groups, out]. */
const toKeras = (w: unknown) => transpose(tensor(nested(w)), [2, 3, 1, 0]);

// Within 1e-5 on the cpu backend (the reference); float32 tolerance on wasm, whose kernels sum in float32.
const BACKENDS: [string, number][] = [['cpu', 1e-5], ['wasm', 1e-4]];

describe.each(BACKENDS)('conv layers against PyTorch 1.13 (conv.json) on %s', (backend, tol) => {
  let previous: string;
  beforeAll(() => {
    previous = getBackend().name;
    setBackend(backend);
  });
  afterAll(() => setBackend(previous));

  for (const c of cases.filter((k) => k.op === 'conv2d')) {
    const o = c.options as { filters: number; kernelSize: number | [number, number]; strides: number | [number, number]; padding: number | [number, number]; dilation: number; groups: number };
    const what = `conv2d ${JSON.stringify(o)}`;
    it(what, () => {
      const layer = conv2d(o.filters, { kernelSize: o.kernelSize, strides: o.strides, padding: o.padding, dilationRate: o.dilation, groups: o.groups });
      const x = tensor(nested(c.x_nhwc));
      layer.ensureBuilt([null, ...x.shape.slice(1)]);
      layer.setWeights([toKeras(c['weight_torch[out,in/groups,kh,kw]']), nested(c.bias)]);
      expect(layer.computeOutputShape([null, ...x.shape.slice(1)])).toEqual([null, ...tensor(nested(c.y_nhwc)).shape.slice(1)]);
      forwardBackward(layer, c, what, tol);
      expectClose(layer.kernel.grad!, toKeras(c.dL_dweight_torch).toArray(), tol, `${what} dL/dkernel`);
      expectClose(layer.bias!.grad!, nested(c.dL_dbias), tol, `${what} dL/dbias`);
    });
  }

  it('depthwiseConv2d reproduces the groups = channels case (kernel [kh, kw, C, 1] = torch weight permuted (2, 3, 0, 1))', () => {
    const c = cases.find((k) => k.op === 'conv2d' && (k.options as { groups: number }).groups === 4)!;
    const layer = depthwiseConv2d({ kernelSize: 3, padding: 1 });
    layer.ensureBuilt([null, 6, 6, 4]);
    const kernel = transpose(tensor(nested(c['weight_torch[out,in/groups,kh,kw]'])), [2, 3, 0, 1]);
    layer.setWeights([kernel, nested(c.bias)]);
    forwardBackward(layer, c, 'depthwiseConv2d', tol);
    expectClose(layer.kernel.grad!, transpose(tensor(nested(c.dL_dweight_torch)), [2, 3, 0, 1]).toArray(), tol, 'depthwiseConv2d dL/dkernel');
    expectClose(layer.bias!.grad!, nested(c.dL_dbias), tol, 'depthwiseConv2d dL/dbias');
  });

  for (const c of cases.filter((k) => k.op === 'maxPool2d' || k.op === 'avgPool2d')) {
    const o = c.options as { poolSize: number; strides: number; padding: number };
    const what = `${c.op} ${JSON.stringify(o)}`;
    it(what, () => {
      const make = c.op === 'maxPool2d' ? maxPool2d : avgPool2d;
      forwardBackward(make({ poolSize: o.poolSize, strides: o.strides, padding: o.padding }), c, what, tol);
    });
  }

  it('globalAvgPool', () => {
    forwardBackward(globalAvgPool(), cases.find((k) => k.op === 'globalAvgPool2d')!, 'globalAvgPool', tol, 'y');
  });

  it('batchNorm over the channels of an NHWC batch: forward, backward and running statistics', () => {
    const c = cases.find((k) => k.op.startsWith('batchNorm'))!;
    const o = c.options as Record<string, number>;
    const layer = batchNorm({ momentum: o['momentum(torch)'], eps: o.eps });
    layer.ensureBuilt([null, 5, 5, 3]);
    layer.setWeights([nested(c.gamma), nested(c.beta), [0, 0, 0], [1, 1, 1]]);
    forwardBackward(layer, c, 'batchNorm', tol);
    expectClose(layer.gamma!.grad!, nested(c.dL_dgamma), tol, 'dL/dgamma');
    expectClose(layer.beta!.grad!, nested(c.dL_dbeta), tol, 'dL/dbeta');
    expectClose(layer.runningMean, nested(c.runningMean), tol, 'running mean');
    expectClose(layer.runningVar, nested(c['runningVar(unbiased)']), tol, 'running variance');
  });
});
