import { expect } from 'vitest';
import { deserialize, serialize } from '@nn/core';
import type { Tensor } from '@nn/tensor';
import type { Layer } from '../layer.js';

/**
 * A layer's JSON round trip, shared by the layer tests: calls `layer` on `x`, rebuilds it from its JSON (which must
 * serialize back unchanged) and copies the weights over; returns the JSON and both outputs for the test to compare.
 */
export function roundTrip(layer: Layer, x: Tensor): { json: { name: string }; y: Tensor; copied: Tensor } {
  const y = layer.apply(x);
  const json = JSON.parse(JSON.stringify(serialize(layer)));
  const copy = deserialize<Layer>(json);
  expect(serialize(copy)).toEqual(json);
  copy.ensureBuilt(x.shape);
  copy.setWeights(layer.getWeights());
  return { json, y, copied: copy.apply(x) };
}
