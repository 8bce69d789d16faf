// `pnpm bench` for @nn/data-augment: images per second, single thread, for each transform on 28x28x1 and
// 224x224x3 batches, beside tfjs's own image ops (cpu backend) where they exist and torchvision's transforms
// (when Debian's python3-torchvision is installed), in the same run. Not a test: numbers vary with the
// machine and its load.
//
// tfjs is a dev dependency of @nn/tensor, not of this package (whose dependencies stay @nn/core and
// @nn/tensor), so it is loaded from there; without it the tfjs column is left empty.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tensor, type Tensor } from '@nn/tensor';
import { secondsPerCall } from '../../tensor/bench/timing.js';
import { gaussianNoise, randomAffine, randomCrop, randomErasing, randomFlip, randomResizedCrop, randomRotation, type Augmentation } from '../src/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Tf = any;

async function loadTf(): Promise<Tf | undefined> {
  try {
    const require = createRequire(new URL('../../tensor/package.json', import.meta.url));
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  } catch {
    return undefined;
  }
}

/** torchvision's images per second by case name, from bench/torchvision_bench.py, if it can run here. */
function torchvisionRates(): Record<string, number> | undefined {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return undefined;
  const r = spawnSync(python, [fileURLToPath(new URL('./torchvision_bench.py', import.meta.url))], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  } catch {
    return undefined;
  }
}

/** Images per second: the median call over about 0.8 s of calls. */
const rate = (batch: number, fn: () => void): number => batch / secondsPerCall(fn, { budget: 0.8 });

function images(n: number, h: number, w: number, c: number): Tensor {
  const v = new Float32Array(n * h * w * c);
  for (let i = 0; i < v.length; i++) v[i] = ((i * 2654435761) >>> 0) / 2 ** 32;
  return tensor(v, [n, h, w, c]);
}

async function main() {
  const tf = await loadTf();
  const tv = torchvisionRates();
  const shapes: [string, number, number, number, number][] = [
    ['28x28x1', 256, 28, 28, 1],
    ['224x224x3', 8, 224, 224, 3],
  ];
  const rows: string[][] = [['transform', 'batch', 'nn img/s', 'tfjs op', 'tfjs img/s', 'torchvision img/s']];
  for (const [label, n, h, w, c] of shapes) {
    const x = images(n, h, w, c);
    const tx = tf?.tensor4d(x.dataSync(), [n, h, w, c]);
    const singles = tf ? tf.split(tx, n) : undefined;
    const affine = tf?.tensor2d([[0.95, 0.1, 2, -0.1, 1.05, -1, 0, 0]]);
    const crop = Math.round(h * 0.875);
    // [label, ours, tfjs op, tfjs run, torchvision case name]
    const cases: [string, Augmentation, string, (() => void) | undefined, string][] = [
      ['randomFlip (p=1)', randomFlip({ p: 1, seed: 1 }), 'image.flipLeftRight', tf && (() => tf.tidy(() => tf.image.flipLeftRight(tx))), 'randomFlip'],
      ['randomRotation ±30° bilinear', randomRotation({ degrees: 30, seed: 1 }), 'image.rotateWithOffset (nearest)', tf && (() => tf.tidy(() => tf.image.rotateWithOffset(tx, 0.3))), 'randomRotation bilinear'],
      ['randomRotation ±30° nearest', randomRotation({ degrees: 30, interpolation: 'nearest', seed: 1 }), '', undefined, 'randomRotation nearest'],
      [
        'randomAffine (rot+scale+shear+shift)',
        randomAffine({ degrees: 30, scale: [0.9, 1.1], shear: 10, translate: 0.1, seed: 1 }),
        'image.transform (bilinear, per image)',
        // tfjs 4.22's cpu Transform kernel fills every image of a batch but the first (seen here: 689 of
        // 200,704 outputs set for 256 digits), so it is timed one image at a time.
        tf && (() => tf.tidy(() => singles!.forEach((one: Tf) => tf.image.transform(one, affine, 'bilinear')))),
        'randomAffine',
      ],
      ['randomCrop (pad 4)', randomCrop({ size: [h, w], padding: 4, seed: 1 }), '', undefined, 'randomCrop'],
      [
        `randomResizedCrop -> ${crop}`,
        randomResizedCrop({ size: crop, seed: 1 }),
        'image.cropAndResize (bilinear)',
        tf && (() => tf.tidy(() => tf.image.cropAndResize(tx, tf.tensor2d(Array.from({ length: n }, () => [0.1, 0.1, 0.9, 0.9]), [n, 4]), tf.tensor1d(Array.from({ length: n }, (_, i) => i), 'int32'), [crop, crop]))),
        'randomResizedCrop',
      ],
      ['gaussianNoise', gaussianNoise({ std: 0.1, seed: 1 }), '', undefined, 'gaussianNoise'],
      ['randomErasing (p=1)', randomErasing({ p: 1, seed: 1 }), '', undefined, 'randomErasing'],
    ];
    for (const [name, aug, tfName, tfFn, tvName] of cases) {
      const ours = rate(n, () => aug.apply(x));
      const theirs = tfFn ? rate(n, tfFn) : undefined;
      const torchvision = tv?.[`${tvName} ${label}`];
      rows.push([`${name} ${label}`, String(n), ours.toFixed(0), tfName || '—', theirs === undefined ? '—' : theirs.toFixed(0), torchvision === undefined ? '—' : torchvision.toFixed(0)]);
    }
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map((r) => r[k].length)));
  for (const r of rows) console.log(r.map((cell, k) => (k === 0 || k === 3 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  '));
  if (!tf) console.log('(tfjs not found: install @nn/tensor dev dependencies for the tfjs column)');
  if (!tv) console.log('(torchvision not found: apt-get install python3-torchvision for the torchvision column)');
  console.log('nn and tfjs: whole batches, tensor in and tensor out (float32). torchvision: one image at a time, as a Dataset applies it, float CHW, one thread.');
  console.log('\nFor orientation, albumentations (one CPU thread, Apple M-series, 224-ish RGB uint8): flip 14,460/s, rotate 2,912/s, affine 1,445/s.');
}

void main();
