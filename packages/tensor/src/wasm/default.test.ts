import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// A fresh process, as a user gets it (this suite's own processes pin cpu through NN_BACKEND).
const index = fileURLToPath(new URL('../index.ts', import.meta.url));
const backendIn = (env: Record<string, string | undefined>, code = 'nn.getBackend().name') =>
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const nn = await import(${JSON.stringify(index)}); console.log(${code});`], {
    env: { ...process.env, NN_BACKEND: undefined, ...env },
    encoding: 'utf8',
  }).trim();

it('defaults to wasm where WebAssembly SIMD is available (Node), with no set-up call', () => {
  expect(backendIn({}, "[nn.getBackend().name, nn.matmul(nn.tensor([[1, 2]]), nn.tensor([[3], [4]])).item()].join(' ')")).toBe('wasm 11');
}, 30_000);

it('can be pinned to cpu by NN_BACKEND or setBackend', () => {
  expect(backendIn({ NN_BACKEND: 'cpu' })).toBe('cpu');
  expect(backendIn({}, "(nn.setBackend('cpu'), nn.getBackend().name)")).toBe('cpu');
}, 30_000);
