// The shared gradient checks, PyTorch golden activations and float64 property tests, run with 'wasm' as the backend: importing a
// suite after on-wasm.ts registers its tests here, with every tensor on wasm.
import './on-wasm.js';
import '../gradients.test.js';
import '../activations.test.js';
import '../properties.test.js';
import { expect, it } from 'vitest';
import { getBackend } from '../backend.js';

it('runs these suites on the wasm backend', () => {
  expect(getBackend().name).toBe('wasm');
});
