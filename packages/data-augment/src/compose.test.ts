import { deserialize, registry, serialize } from '@nn/core';
import { setSeed, tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import {
  colorJitter, compose, Compose, cutmix, gaussianNoise, mixup, oneOf, randomAffine, randomBrightness, randomContrast, randomCrop, randomErasing,
  randomFlip, randomOrder, randomResizedCrop, randomRotation, randomTranslation, randomZoom, type Augmentation,
} from './index.js';
import { image, values } from './testing.js';

const batch = () => image(6, 6, 3, 4, (b, i, j, k) => ((b * 7 + i * 3 + j + k) % 11) / 11);

describe('compose', () => {
  it('p = 0 is the identity; p = 1 always applies', () => {
    const x = batch();
    const off = compose([randomRotation({ degrees: 30, p: 0 }), gaussianNoise({ p: 0 }), randomFlip({ p: 0 })], { seed: 1 });
    expect(values(off.apply(x))).toEqual(values(x));
    expect(values(compose([randomRotation({ degrees: 30 })], { seed: 1, p: 0 }).apply(x))).toEqual(values(x));
    const on = compose([randomFlip({ p: 1 })]);
    for (let t = 0; t < 5; t++) expect(values(on.apply(x))).toEqual(values(randomFlip({ p: 1 }).apply(x)));
  });

  it('also takes one options object, as its config reads', () => {
    const x = batch();
    const a = compose({ transforms: [randomRotation({ degrees: 20 }), gaussianNoise()], seed: 5 });
    const b = compose([randomRotation({ degrees: 20 }), gaussianNoise()], { seed: 5 });
    expect(values(a.apply(x))).toEqual(values(b.apply(x)));
    expect(oneOf({ transforms: [randomFlip()], weights: [1] }).weights).toEqual([1]);
    expect(randomOrder({ transforms: [randomFlip()], p: 0.5 }).p).toBe(0.5);
  });

  it('applies each transform with its own probability, per image', () => {
    const c = compose([randomBrightness({ factor: 0.1, p: 0.3 })], { seed: 4 });
    c.apply(image(2, 2, 1, 1000, () => 0.5));
    const applied = (c.lastParams!.record as unknown[][]).filter((r) => r[0] !== null).length;
    expect(applied).toBeGreaterThan(250);
    expect(applied).toBeLessThan(350);
  });

  it('runs in sequence: a flip then a crop equals the crop of the flip', () => {
    const x = batch();
    const c = compose([randomFlip({ p: 1 }), randomCrop({ size: 4 })], { seed: 3 });
    const out = c.apply(x);
    const crops = (c.lastParams!.record as unknown[][]).map((r) => r[1]);
    const manual = randomCrop({ size: 4 }).replay(randomFlip({ p: 1 }).apply(x), { transform: 'randomCrop', images: 4, record: crops });
    expect(values(out)).toEqual(values(manual));
  });
});

describe('seeds and replay', () => {
  const pipeline = (seed?: number) =>
    compose(
      [
        randomAffine({ degrees: 15, translate: 0.1, scale: [0.9, 1.1], shear: 5 }),
        randomFlip(),
        oneOf([gaussianNoise({ std: 0.05 }), colorJitter({ brightness: 0.2, saturation: 0.2, hue: 0.05 })]),
        randomOrder([randomContrast({ factor: 0.2 }), randomErasing()]),
      ],
      { seed },
    );

  it('same seed → same output; different seed → different output', () => {
    const x = batch();
    expect(values(pipeline(1).apply(x))).toEqual(values(pipeline(1).apply(x)));
    expect(values(pipeline(1).apply(x))).not.toEqual(values(pipeline(2).apply(x)));
    const p = pipeline(1);
    const first = values(p.apply(x));
    expect(values(p.apply(x))).not.toEqual(first); // the stream moves on
    expect(values(p.reseed().apply(x))).toEqual(first); // and restarts
  });

  it('owns its stream: other randomness does not change it', () => {
    const x = batch();
    const a = values(pipeline(5).apply(x));
    setSeed(123);
    tensor([1]).dataSync();
    expect(values(pipeline(5).apply(x))).toEqual(a);
  });

  it('without a seed, setSeed makes it reproducible', () => {
    const x = batch();
    setSeed(9);
    const a = values(pipeline().apply(x));
    setSeed(9);
    expect(values(pipeline().apply(x))).toEqual(a);
  });

  it('replay reproduces exactly, on the same input or another one, and draws nothing', () => {
    const x = batch();
    const p = pipeline(3);
    const out = p.apply(x);
    const recorded = JSON.parse(JSON.stringify(p.lastParams)); // the params are JSON data
    expect(values(p.replay(x, recorded))).toEqual(values(out));
    expect(values(p.replay(x))).toEqual(values(out));
    // the geometry replays on a second input with the same shape: a mask made of the image's channel 0
    const geo = compose([randomAffine({ degrees: 20, interpolation: 'nearest' }), randomFlip()], { seed: 6 });
    const img = batch();
    const moved = geo.apply(img);
    const channel0 = (t: ReturnType<typeof batch>) => values(t).filter((_, i) => i % 3 === 0);
    expect(channel0(geo.replay(img))).toEqual(channel0(moved));
    // replaying leaves the stream where it was
    const twin = pipeline(3);
    twin.apply(x);
    expect(values(p.apply(x))).toEqual(values(twin.apply(x)));
  });

  it('replay refuses params recorded for another transform or batch size', () => {
    const p = pipeline(3);
    p.apply(batch());
    expect(() => randomFlip().replay(batch(), p.lastParams)).toThrow('randomFlip: replay: these params were recorded by "compose", not by randomFlip');
    expect(() => p.replay(image(6, 6, 3, 2))).toThrow('compose: replay: the params were recorded for 4 image(s), got 2');
    expect(() => randomFlip().replay(batch())).toThrow('randomFlip: replay: nothing to replay yet (call apply first, or pass the params to replay)');
  });
});

describe('oneOf and randomOrder', () => {
  it('oneOf picks one transform per image, by weight', () => {
    const o = oneOf([randomFlip({ p: 1 }), randomBrightness({ factor: 0.1 })], { weights: [3, 1], seed: 2 });
    o.apply(image(2, 2, 1, 800, () => 0.5));
    const picks = (o.lastParams!.record as { index: number }[]).map((r) => r.index);
    const share = picks.filter((k) => k === 0).length / picks.length;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });

  it('randomOrder applies every transform, in a random order per image', () => {
    const r = randomOrder([randomFlip({ p: 1 }), randomCrop({ size: 3, padding: 1 })], { seed: 1 });
    r.apply(image(4, 4, 1, 50));
    const orders = new Set((r.lastParams!.record as { order: number[] }[]).map((x) => x.order.join()));
    expect(orders).toEqual(new Set(['0,1', '1,0']));
  });

  it('with a batch mixer inside, containers choose once per batch', () => {
    const m = oneOf([mixup({ alpha: 1 }), cutmix({ alpha: 1 })], { seed: 4 });
    const b = { image: image(4, 4, 1, 8), labels: tensor(Array.from({ length: 8 }, (_, i) => [i % 2, 1 - (i % 2)])) };
    const out = m.apply(b);
    expect(out.labels!.shape).toEqual([8, 2]);
    expect(m.lastParams!.record).toHaveProperty('index');
    const full = compose([randomFlip(), randomRotation({ degrees: 10 }), mixup({ alpha: 0.2 })], { seed: 1 });
    const o2 = full.apply(b);
    expect(o2.image.shape).toEqual([8, 4, 4, 1]);
    expect(values(full.replay(b).image)).toEqual(values(o2.image));
    expect(values(full.replay(b).labels!)).toEqual(values(o2.labels!));
  });
});

describe('layout and value range are set once, on the pipeline', () => {
  it('children inherit; a child that says otherwise is an error', () => {
    const c = compose([randomFlip({ p: 1 })], { layout: 'NCHW' });
    const x = tensor([[[[1, 2, 3]], [[4, 5, 6]]]]); // [1, 2, 1, 3] NCHW: 2 channels of 1x3
    expect(c.apply(x).toArray()).toEqual([[[[3, 2, 1]], [[6, 5, 4]]]]);
    expect(compose([randomFlip({ layout: 'NCHW' })]).format().layout).toBe('NCHW');
    expect(() => compose([randomFlip({ layout: 'NCHW' })], { layout: 'NHWC' })).toThrow(
      "compose: randomFlip has layout \"NCHW\" but the pipeline has \"NHWC\"; set layout once, on the pipeline",
    );
    expect(() => compose([gaussianNoise({ valueRange: 255 }), gaussianNoise({ valueRange: [0, 1] })])).toThrow('compose: gaussianNoise has valueRange [0, 1] but the pipeline has [0, 255]');
  });
});

describe('serialization', () => {
  const everything = (): Augmentation =>
    compose(
      [
        randomRotation({ degrees: [-10, 20], center: [3, 3], interpolation: 'nearest', fillMode: 'reflect', p: 0.5 }),
        randomFlip({ mode: 'horizontal_and_vertical' }),
        randomZoom({ scale: [0.8, 1.2], fillMode: 'wrap' }),
        randomTranslation({ translate: [2, 1], unit: 'pixel', fillValue: [0.1, 0.2, 0.3] }),
        randomCrop({ size: 5, padding: [1, 2], fillMode: 'nearest' }),
        oneOf([randomAffine({ degrees: 5, shear: [1, 2, 3, 4], scale: [0.9, 1] }), randomResizedCrop({ size: 5 })], { weights: [1, 2] }),
        randomOrder([gaussianNoise({ std: [0, 0.1] }), randomBrightness({ factor: 0.1 }), randomContrast({ factor: [0.8, 1.2] }), colorJitter({ hue: 0.1, saturation: 0.5 })]),
        randomErasing({ value: 'random' }),
        mixup({ alpha: 0.3, numClasses: 3, p: 0.5 }),
        cutmix({ alpha: 1 }),
      ],
      { seed: 42, valueRange: [0, 1] },
    );

  it('every transform is registered as an augmentation', () => {
    expect(registry.list('augmentation')).toEqual(
      ['colorJitter', 'compose', 'cutmix', 'gaussianNoise', 'mixup', 'oneOf', 'randomAffine', 'randomBrightness', 'randomContrast', 'randomCrop', 'randomErasing', 'randomFlip', 'randomOrder', 'randomResizedCrop', 'randomRotation', 'randomTranslation', 'randomZoom'],
    );
  });

  it('a nested pipeline round-trips through JSON and behaves the same', () => {
    const p = everything();
    const json = JSON.stringify(serialize(p));
    const back = deserialize<Compose>(json);
    expect(back).toBeInstanceOf(Compose);
    expect(JSON.stringify(serialize(back))).toBe(json);
    const b = { image: batch(), labels: tensor([0, 1, 2, 1]) };
    const a1 = p.apply(b);
    const a2 = back.apply(b);
    expect(values(a2.image)).toEqual(values(a1.image));
    expect(values(a2.labels!)).toEqual(values(a1.labels!));
    const parsed = JSON.parse(json);
    expect(parsed.kind).toBe('augmentation');
    expect(parsed.config.transforms[5].name).toBe('oneOf');
    expect(parsed.config.transforms[5].config.transforms[0].config.shear).toEqual([1, 2, 3, 4]);
  });
});

describe('use with fit', () => {
  it('takes { image, labels } batches of flat rows and returns the same shapes', () => {
    // what model.fit(x, y, { augment }) does with each training batch of an MLP on 28x28 digits
    const augment = compose([randomRotation({ degrees: 10 }), randomTranslation({ translate: [2, 2], unit: 'pixel' }), mixup({ alpha: 0.2 })], {
      seed: 0,
      imageShape: [28, 28, 1],
    });
    const x = tensor(Float32Array.from({ length: 8 * 784 }, (_, i) => (i % 17) / 17), [8, 784]);
    const y = tensor(Array.from({ length: 8 }, (_, i) => Array.from({ length: 10 }, (_, k) => (k === i ? 1 : 0))));
    const out = augment.apply({ image: x, labels: y });
    expect(out.image.shape).toEqual([8, 784]);
    expect(out.labels!.shape).toEqual([8, 10]);
    // a bare tensor (no labels) works for pipelines without mixers
    expect(compose([randomFlip()], { imageShape: [28, 28, 1] }).apply(x).shape).toEqual([8, 784]);
  });
});
