/** @module @nn/data-augment */
export { Augmentation, SampleTransform, COMMON_OPTIONS, type CommonOptions, type AugmentationClass, type AugmentationParams } from './augmentation.js';
export type { AugmentBatch, BatchInput, Boxes } from './batch.js';
export type { Layout, Sample, Ctx } from './sample.js';
export type { FillMode, Interpolation } from './resample.js';
export type { GeometricOptions } from './geometric.js';
export { RandomRotation, randomRotation, type RandomRotationOptions } from './rotation.js';
export { RandomFlip, randomFlip, type RandomFlipOptions, type FlipMode } from './flip.js';
export {
  RandomTranslation, randomTranslation, type RandomTranslationOptions,
  RandomZoom, randomZoom, type RandomZoomOptions,
  RandomAffine, randomAffine, type RandomAffineOptions, type AffineParams,
} from './affine.js';
export { RandomCrop, randomCrop, type RandomCropOptions, RandomResizedCrop, randomResizedCrop, type RandomResizedCropOptions } from './crop.js';
export { GaussianNoise, gaussianNoise, type GaussianNoiseOptions } from './noise.js';
export {
  RandomBrightness, randomBrightness, type RandomBrightnessOptions,
  RandomContrast, randomContrast, type RandomContrastOptions,
  ColorJitter, colorJitter, type ColorJitterOptions,
} from './color.js';
export { RandomErasing, randomErasing, type RandomErasingOptions } from './erasing.js';
export { Mixup, mixup, Cutmix, cutmix, type MixOptions, type MixupOptions } from './mixup.js';
export { Compose, compose, OneOf, oneOf, type OneOfOptions, RandomOrder, randomOrder } from './compose.js';
export { sampleBeta, sampleGamma } from './beta.js';
