import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import golden from './fixtures/torchvision.json';
import { colorJitter, randomAffine, randomResizedCrop, randomRotation, type Augmentation } from './index.js';

type Case = (typeof golden.cases)[number];
const input = (c: Case) => {
  const img = c.image === 'rgb' ? golden.rgb : golden.grey;
  return tensor(img.values, [1, ...img.shape]);
};
const rec = (transform: string, params: unknown) => ({ transform, images: 1, record: [params] });

/** The transform and the record that should reproduce torchvision's functional op. */
function ours(c: Case): [Augmentation, ReturnType<typeof rec>] {
  const p = c.params as Record<string, unknown>;
  const interpolation = (p.interpolation ?? 'bilinear') as 'bilinear' | 'nearest';
  if ('brightness' in p || 'contrast' in p || 'saturation' in p || 'hue' in p) {
    const jitter = c.image === 'rgb' ? colorJitter({ brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.5, layout: 'NCHW' }) : colorJitter({ contrast: 0.9, layout: 'NCHW' });
    return [jitter, rec('colorJitter', { order: [0, 1, 2, 3], brightness: null, contrast: null, saturation: null, hue: null, ...p })];
  }
  if ('top' in p) return [randomResizedCrop({ size: p.size as [number, number], interpolation, layout: 'NCHW' }), rec('randomResizedCrop', { top: p.top, left: p.left, height: p.height, width: p.width })];
  if ('dx' in p) {
    const { interpolation: _i, ...params } = p;
    return [randomAffine({ interpolation, layout: 'NCHW' }), rec('randomAffine', params)];
  }
  return [randomRotation({ degrees: 0, center: p.center as [number, number] | undefined, interpolation, layout: 'NCHW' }), rec('randomRotation', { angle: p.angle })];
}

describe(`the same numbers as ${golden.source}`, () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const [t, params] = ours(c);
    const out = t.replay(input(c), params);
    expect(out.shape).toEqual([1, ...c.shape]);
    const v = out.dataSync();
    let worst = 0;
    v.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - c.expected[i]))));
    expect(worst).toBeLessThan(1e-5);
  });
});
