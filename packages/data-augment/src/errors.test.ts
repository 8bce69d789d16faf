import { NNError } from '@nn/core';
import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import {
  colorJitter, compose, cutmix, gaussianNoise, mixup, oneOf, randomAffine, randomBrightness, randomContrast, randomCrop, randomErasing, randomFlip,
  randomOrder, randomResizedCrop, randomRotation, randomTranslation, randomZoom, type Augmentation,
} from './index.js';
import { image } from './testing.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const bad = (o: unknown): any => o;

const expectError = (fn: () => unknown, message: string, code?: string) => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NNError);
  expect((error as Error).message).toBe(message);
  if (code) expect((error as NNError).code).toBe(code);
};

describe('option errors name the transform and the option', () => {
  const cases: [string, () => unknown, string][] = [
    ['unknown option, with the near miss', () => randomRotation(bad({ degree: 10 })), 'randomRotation: unknown option "degree"; did you mean "degrees"? (options: p, seed, layout, valueRange, imageShape, interpolation, fillMode, fillValue, maskFillValue, degrees, center)'],
    ['options not an object', () => randomFlip(bad(3)), 'randomFlip: expected an object of options { p, seed, layout, valueRange, imageShape, mode }, got 3'],
    ['p above 1', () => randomFlip({ p: 1.5 }), 'randomFlip: p must be a probability in [0, 1], got 1.5'],
    ['p below 0', () => gaussianNoise({ p: -0.1 }), 'gaussianNoise: p must be a probability in [0, 1], got -0.1'],
    ['p of a container', () => compose([], { p: 2 }), 'compose: p must be a probability in [0, 1], got 2'],
    ['reversed degree range', () => randomRotation({ degrees: [30, -30] }), 'randomRotation: degrees range is reversed: [30, -30]; expected [min, max] with min <= max'],
    ['degrees missing', () => randomRotation(bad({})), 'randomRotation: degrees is required (e.g. { degrees: 10 } for [-10, 10])'],
    ['negative single degrees', () => randomRotation({ degrees: -5 }), 'randomRotation: degrees must be non-negative when a single number, got -5'],
    ['degrees not a range', () => randomAffine({ degrees: bad([1, 2, 3]) }), 'randomAffine: degrees must be a number or a [min, max] pair of numbers, got [1, 2, 3]'],
    ['layout', () => randomFlip({ layout: bad('HWC') }), 'randomFlip: unknown layout "HWC"; did you mean "NHWC"? (expected "NHWC", "NCHW")'],
    ['valueRange', () => gaussianNoise({ valueRange: [1, 0] }), 'gaussianNoise: valueRange must be [min, max] with min < max (or a number max for [0, max]), got [1, 0]'],
    ['imageShape', () => randomFlip({ imageShape: [784] }), "randomFlip: imageShape must be the shape of one image, [H, W, C] (or [C, H, W] for 'NCHW'), got [784]"],
    ['imageShape entries', () => randomFlip({ imageShape: [28, 0, 1] }), 'randomFlip: imageShape[1] must be a positive integer, got 0'],
    ['seed', () => randomFlip({ seed: Number.NaN }), 'randomFlip: seed must be a finite number, got NaN'],
    ['interpolation', () => randomRotation({ degrees: 5, interpolation: bad('cubic') }), 'randomRotation: unknown interpolation "cubic" (expected "nearest", "bilinear")'],
    ['fillMode', () => randomRotation({ degrees: 5, fillMode: bad('mirror') }), 'randomRotation: unknown fillMode "mirror" (expected "constant", "reflect", "nearest", "wrap")'],
    ['fillValue', () => randomRotation({ degrees: 5, fillValue: bad('black') }), 'randomRotation: fillValue must be a number or an array of numbers (one per channel), got "black"'],
    ['maskFillValue', () => randomZoom({ scale: 0.1, maskFillValue: bad('255') }), 'randomZoom: maskFillValue must be a finite number, got "255"'],
    ['center', () => randomRotation({ degrees: 5, center: bad([1]) }), 'randomRotation: center must be [x, y] in pixels, got [1]'],
    ['translate missing', () => randomTranslation(bad({})), 'randomTranslation: translate is required (e.g. { translate: 0.1 } for up to 10% of the size)'],
    ['translate above 1', () => randomTranslation({ translate: [0.2, 1.5] }), 'randomTranslation: translate[1] must be in [0, 1], got 1.5'],
    ['translate shape', () => randomAffine({ translate: bad([1, 2, 3]) }), 'randomAffine: translate must be a number or [maxX, maxY], got [1, 2, 3]'],
    ['unit', () => randomTranslation({ translate: 1, unit: bad('px') }), 'randomTranslation: unknown unit "px" (expected "fraction", "pixel")'],
    ['zoom scale missing', () => randomZoom(bad({})), 'randomZoom: scale is required (e.g. { scale: [0.9, 1.1] })'],
    ['zoom scale not positive', () => randomZoom({ scale: [0, 1] }), 'randomZoom: scale factors must be positive, got [0, 1]'],
    ['reversed zoom', () => randomZoom({ scale: [1.2, 0.8] }), 'randomZoom: scale range is reversed: [1.2, 0.8]; expected [min, max] with min <= max'],
    ['affine scale', () => randomAffine({ scale: [-1, 1] }), 'randomAffine: scale factors must be positive, got [-1, 1]'],
    ['shear too steep', () => randomAffine({ shear: 90 }), 'randomAffine: shear angles must lie strictly between -90 and 90 degrees, got [-90, 90, 0, 0]'],
    ['reversed y shear', () => randomAffine({ shear: [0, 1, 5, -5] }), 'randomAffine: shear (y) range is reversed: [5, -5]; expected [min, max] with min <= max'],
    ['crop size missing', () => randomCrop(bad({})), 'randomCrop: size is required (e.g. { size: 32, padding: 4 })'],
    ['crop size', () => randomCrop({ size: 2.5 }), 'randomCrop: size must be a positive integer, got 2.5'],
    ['crop size pair', () => randomCrop({ size: bad([2, 'a']) }), 'randomCrop: size[1] must be a positive integer, got "a"'],
    ['padding', () => randomCrop({ size: 2, padding: bad([1, 2, 3]) }), 'randomCrop: padding must be a number, [x, y] or [left, top, right, bottom], got [1, 2, 3]'],
    ['negative padding', () => randomCrop({ size: 2, padding: -1 }), 'randomCrop: padding[0] must be a non-negative integer, got -1'],
    ['padIfNeeded', () => randomCrop({ size: 2, padIfNeeded: bad('yes') }), 'randomCrop: padIfNeeded must be a boolean, got "yes"'],
    ['interpolation of a crop', () => randomCrop(bad({ size: 2, interpolation: 'bilinear' })), 'randomCrop: unknown option "interpolation" (options: p, seed, layout, valueRange, imageShape, fillMode, fillValue, maskFillValue, size, padding, padIfNeeded)'],
    ['resized crop size', () => randomResizedCrop(bad({})), 'randomResizedCrop: size is required (e.g. { size: 224 })'],
    ['resized crop scale', () => randomResizedCrop({ size: 4, scale: [0, 0] }), 'randomResizedCrop: scale must allow a positive area, got [0, 0]'],
    ['resized crop ratio', () => randomResizedCrop({ size: 4, ratio: [0, 1] }), 'randomResizedCrop: ratio must be positive, got [0, 1]'],
    ['reversed resized crop scale', () => randomResizedCrop({ size: 4, scale: [1, 0.5] }), 'randomResizedCrop: scale range is reversed: [1, 0.5]; expected [min, max] with min <= max'],
    ['noise std', () => gaussianNoise({ std: -1 }), 'gaussianNoise: std must lie within [0, inf], got [-1, -1]'],
    ['noise mean', () => gaussianNoise({ mean: bad('0') }), 'gaussianNoise: mean must be a finite number, got "0"'],
    ['noise clip', () => gaussianNoise({ clip: bad(1) }), 'gaussianNoise: clip must be a boolean, got 1'],
    ['brightness factor missing', () => randomBrightness(bad({})), 'randomBrightness: factor is required (e.g. { factor: 0.2 } for shifts up to 20% of the value range)'],
    ['contrast factor missing', () => randomContrast(bad(undefined)), 'randomContrast: factor is required (e.g. { factor: 0.2 } for contrast factors in [0.8, 1.2])'],
    ['brightness bounds', () => randomBrightness({ factor: 2 }), 'randomBrightness: factor must lie within [-1, 1], got [-2, 2]'],
    ['contrast bounds', () => randomContrast({ factor: [-1, 2] }), 'randomContrast: factor must lie within [0, inf], got [-1, 2]'],
    ['reversed contrast', () => randomContrast({ factor: [2, 1] }), 'randomContrast: factor range is reversed: [2, 1]; expected [min, max] with min <= max'],
    ['hue bounds', () => colorJitter({ hue: 0.7 }), 'colorJitter: hue must lie within [-0.5, 0.5], got [-0.7, 0.7]'],
    ['negative saturation', () => colorJitter({ saturation: -0.2 }), 'colorJitter: saturation must be non-negative when a single number, got -0.2'],
    ['erasing scale', () => randomErasing({ scale: [0.5, 2] }), 'randomErasing: scale must lie within [0, 1], got [0.5, 2]'],
    ['erasing ratio', () => randomErasing({ ratio: [-1, 1] }), 'randomErasing: ratio must be positive, got [-1, 1]'],
    ['erasing value', () => randomErasing({ value: bad('noise') }), 'randomErasing: value must be a number or an array of numbers (one per channel), got "noise"'],
    ['mixup alpha', () => mixup({ alpha: 0 }), 'mixup: alpha must be a positive number, got 0'],
    ['cutmix numClasses', () => cutmix({ numClasses: 1.5 }), 'cutmix: numClasses must be a positive integer, got 1.5'],
    ['container input', () => compose(bad(randomFlip())), 'compose: expects an array of transforms, got a RandomFlip'],
    ['container child', () => randomOrder([randomFlip(), bad({ apply: () => 0 })]), 'randomOrder: transforms[1] is not a transform (got { apply })'],
    ['empty oneOf', () => oneOf([]), 'oneOf: needs at least one transform'],
    ['oneOf weights length', () => oneOf([randomFlip()], { weights: [1, 2] }), 'oneOf: weights must hold one number per transform (1), got [1, 2]'],
    ['oneOf negative weight', () => oneOf([randomFlip(), gaussianNoise()], { weights: [1, -1] }), 'oneOf: weights[1] must be non-negative, got -1'],
    ['oneOf zero weights', () => oneOf([randomFlip()], { weights: [0] }), 'oneOf: weights must not all be 0'],
    ['conflicting layouts', () => compose([randomFlip({ layout: 'NCHW' }), gaussianNoise({ layout: 'NHWC' })]), 'compose: gaussianNoise has layout "NHWC" but the pipeline has "NCHW"; set layout once, on the pipeline'],
  ];
  it.each(cases)('%s', (_name, fn, message) => expectError(fn, message, 'INVALID_ARGUMENT'));
});

describe('input errors name the transform and the shapes', () => {
  const flip = randomFlip();
  const x = image(6, 6, 3, 2);
  const cases: [string, () => unknown, string, string?][] = [
    ['rank 2 without imageShape', () => flip.apply(tensor(new Float32Array(2 * 784), [2, 784])), "randomFlip: expects images of rank 4 ([N, H, W, C] for layout 'NHWC') or one image of rank 3, got shape [2,784]; for flat rows pass imageShape (e.g. imageShape: [28, 28, 1])"],
    ['rank 5', () => randomRotation({ degrees: 5, layout: 'NCHW' }).apply(tensor(new Float32Array(32), [2, 2, 2, 2, 2])), "randomRotation: expects images of rank 4 ([N, C, H, W] for layout 'NCHW') or one image of rank 3, got shape [2,2,2,2,2]"],
    ['flat rows of the wrong length', () => randomFlip({ imageShape: [28, 28, 1] }).apply(tensor(new Float32Array(2 * 100), [2, 100])), 'randomFlip: flat image rows of shape [2,100] do not match imageShape [28,28,1] (784 values per row)'],
    ['channels-first read as NHWC', () => flip.apply(tensor(new Float32Array(2 * 3 * 32 * 32), [2, 3, 32, 32])), "randomFlip: images of shape [2,3,32,32] look channels-first (3 rows, 32 channels in layout 'NHWC'); pass layout: 'NCHW'"],
    ['channels-last read as NCHW', () => randomFlip({ layout: 'NCHW' }).apply(tensor(new Float32Array(2 * 3 * 32 * 32), [2, 32, 32, 3])), "randomFlip: images of shape [2,32,32,3] look channels-last (32 channels, 3 columns in layout 'NCHW'); pass layout: 'NHWC'"],
    ['not a batch', () => flip.apply(bad({ images: x })), 'randomFlip: apply expects an image tensor or { image, mask?, boxes?, boxLabels?, labels? } with a tensor image, got { images }', 'INVALID_ARGUMENT'],
    ['unknown key', () => flip.apply(bad({ image: x, label: x })), 'randomFlip: apply: unknown batch key "label" (keys: image, mask, boxes, boxLabels, labels)', 'INVALID_ARGUMENT'],
    ['mask of another size', () => flip.apply({ image: x, mask: tensor(new Float32Array(2 * 25), [2, 5, 5]) }), "randomFlip: mask of shape [2,5,5] does not fit images of shape [2,6,6,3] (layout 'NHWC': expected [N, H, W] or the image layout with the same N, H and W)"],
    ['labels of another batch size', () => flip.apply({ image: x, labels: tensor([1, 2, 3]) }), 'randomFlip: labels of shape [3] do not match 2 images'],
    ['boxes as one tensor for a batch', () => flip.apply({ image: x, boxes: tensor(new Float32Array(16), [2, 2, 4]) }), 'randomFlip: boxes for a batch must be one list per image (a Tensor[] of [K, 4] or number[][][]), since images keep different numbers of boxes; got a tensor of shape [2,2,4]', 'INVALID_ARGUMENT'],
    ['boxes per image count', () => flip.apply({ image: x, boxes: [[[0, 0, 1, 1]]] }), 'randomFlip: boxes must hold one list per image (2 images), got [[[0, 0, 1, 1]]]'],
    ['box tensor shape', () => flip.apply({ image: x, boxes: [tensor([[0, 0, 1]]), tensor([[0, 0, 1, 1]])] }), 'randomFlip: boxes[0] must have shape [K, 4] ([x1, y1, x2, y2] per box), got [1,3]'],
    ['box corners reversed', () => flip.apply({ image: x, boxes: [[[2, 0, 1, 1]], []] }), 'randomFlip: boxes[0][0] = [2, 0, 1, 1] is not [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2', 'INVALID_ARGUMENT'],
    ['boxLabels count', () => flip.apply({ image: x, boxes: [[[0, 0, 1, 1]], []], boxLabels: [[1], [2]] }), 'randomFlip: boxLabels must hold one entry per box, as one list per image (1, 0 boxes)'],
    ['boxLabels without boxes', () => flip.apply({ image: x, boxLabels: [] }), 'randomFlip: boxLabels given without boxes', 'INVALID_ARGUMENT'],
    ['fill per channel', () => randomRotation({ degrees: 5, fillValue: [0, 0] }).apply(x), 'randomRotation: fillValue has 2 values but the image has 3 channel(s)'],
    ['hue on grey images', () => colorJitter({ hue: 0.1 }).apply(image(4, 4, 1)), 'colorJitter: saturation and hue need RGB images (3 channels), got 1 channel(s); check layout, or use brightness/contrast only'],
    ['mixup without labels', () => mixup().apply(x), 'mixup: needs labels to mix with the images: apply({ image, labels })', 'INVALID_ARGUMENT'],
    ['mixup of one image', () => mixup().apply({ image: image(4, 4, 3).reshape([4, 4, 3]), labels: tensor([1, 0]) }), 'mixup: needs a batch of images (rank 4) to mix, got a single image'],
    ['class ids without numClasses', () => cutmix().apply({ image: x, labels: tensor([0, 1]) }), 'cutmix: labels of shape [2] look like class ids: pass numClasses to one-hot them, or pass one-hot labels [N, K]'],
    ['class id out of range', () => mixup({ numClasses: 2 }).apply({ image: x, labels: tensor([0, 2]) }), 'mixup: label 2 of image 1 is not a class id in [0, 2) (numClasses 2)', 'INVALID_ARGUMENT'],
    ['labels of rank 3', () => mixup().apply({ image: x, labels: tensor(new Float32Array(8), [2, 2, 2]) }), 'mixup: labels must be [N, K] (one-hot or soft) or [N] class ids, got shape [2,2,2]'],
    ['mixup with a mask', () => mixup().apply({ image: x, mask: tensor(new Float32Array(72), [2, 6, 6]), labels: tensor([[1, 0], [0, 1]]) }), 'mixup: cannot mix masks or boxes (blended targets have no meaning); use cutmix for masks', 'INVALID_ARGUMENT'],
    ['cutmix with boxes', () => cutmix().apply({ image: x, boxes: [[], []], labels: tensor([[1, 0], [0, 1]]) }), 'cutmix: cannot mix boxes', 'INVALID_ARGUMENT'],
  ];
  it.each(cases)('%s', (_name, fn, message, code = 'SHAPE_MISMATCH') => expectError(fn, message, code));

  it('errors inside a pipeline name the transform that failed', () => {
    const p: Augmentation = compose([randomFlip(), colorJitter({ saturation: 0.5 })]);
    expectError(() => p.apply(image(4, 4, 2)), 'colorJitter: saturation and hue need RGB images (3 channels), got 2 channel(s); check layout, or use brightness/contrast only');
  });
});
