// The PyTorch golden cases and the bitwise resume, run with every tensor on the 'wasm' backend, whose fused
// updates are the f32x4 kernels of @nn/tensor's assembly/optim.ts: importing a suite registers its tests here.
import { getBackend, setBackend } from '@nn/tensor';
import '@nn/tensor/wasm';
import { expect, it } from 'vitest';

setBackend('wasm');
await import('./golden.test.js');
await import('./state-dict.test.js');

it('runs these suites on the wasm backend', () => {
  expect(getBackend().name).toBe('wasm');
});
