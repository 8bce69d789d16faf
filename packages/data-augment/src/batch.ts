import { Tensor, tensor } from '@nn/tensor';
import type { Layout, Sample, Work } from './sample.js';
import { fmtShape, invalid, shapeError, show } from './validate.js';

/** Bounding boxes [x1, y1, x2, y2] in pixels: for one image a [K, 4] tensor or array, for a batch one such list per image. */
export type Boxes = Tensor | number[][] | Tensor[] | number[][][];

/** What `apply` takes besides a bare image tensor; it returns the same keys in the same forms. */
export interface AugmentBatch {
  /** [N, H, W, C] (or [N, C, H, W] with layout 'NCHW'), one image without N, or flat rows with `imageShape`. */
  image: Tensor;
  /** [N, H, W] or [N, H, W, C'] in the image's layout (without N for one image): moved with nearest interpolation. */
  mask?: Tensor;
  boxes?: Boxes;
  /** One entry per box (for a batch, one list per image): dropped together with their boxes. */
  boxLabels?: unknown[];
  /** [N, K] one-hot or soft labels (or [N] class ids with a mixer's `numClasses`): mixed by mixup and cutmix, otherwise passed through. */
  labels?: Tensor;
}

export type BatchInput = Tensor | AugmentBatch;

export interface Format {
  layout: Layout;
  valueRange: [number, number];
  /** The shape of one image (in the layout's order) when images come as flat rows [N, H·W·C]. */
  imageShape?: number[];
}

/** How to give the results back in the form they came in. */
export interface Form {
  bare: boolean;
  rank: number;
  flat: boolean;
  n: number;
  /** The input's [H, W, C], for an empty batch (nothing to read the output size from). */
  size: [number, number, number];
  maskRank?: number;
  boxes?: 'tensor' | 'array' | 'tensors' | 'arrays';
  input: BatchInput;
}

const KEYS = ['image', 'mask', 'boxes', 'boxLabels', 'labels'];

/** Reads a batch into per-image HWC samples, checking every shape against the layout. */
export function readBatch(where: string, input: BatchInput, fmt: Format): { work: Work; form: Form } {
  const bare = input instanceof Tensor;
  if (!bare) {
    if (typeof input !== 'object' || input === null || !((input as AugmentBatch).image instanceof Tensor)) {
      throw invalid(where, `apply expects an image tensor or { image, mask?, boxes?, boxLabels?, labels? } with a tensor image, got ${show(input)}`);
    }
    for (const key of Object.keys(input)) {
      if (!KEYS.includes(key)) throw invalid(where, `apply: unknown batch key "${key}" (keys: ${KEYS.join(', ')})`, { key });
    }
  }
  const batch: AugmentBatch = bare ? { image: input } : input;
  const image = batch.image;
  const { layout } = fmt;
  const order = layout === 'NHWC' ? '[N, H, W, C]' : '[N, C, H, W]';
  let shape = [...image.shape];
  let flat = false;
  if (shape.length === 2 && fmt.imageShape) {
    const per = fmt.imageShape.reduce((a, b) => a * b, 1);
    if (shape[1] !== per) throw shapeError(where, `flat image rows of shape ${fmtShape(shape)} do not match imageShape ${fmtShape(fmt.imageShape)} (${per} values per row)`);
    shape = [shape[0], ...fmt.imageShape];
    flat = true;
  } else if (shape.length !== 3 && shape.length !== 4) {
    throw shapeError(
      where,
      `expects images of rank 4 (${order} for layout '${layout}') or one image of rank 3, got shape ${fmtShape(image.shape)}` +
        (shape.length === 2 ? '; for flat rows pass imageShape (e.g. imageShape: [28, 28, 1])' : ''),
      { shape: image.shape },
    );
  }
  const single = shape.length === 3;
  if (single) shape = [1, ...shape];
  const [n, h, w, c] = layout === 'NHWC' ? shape : [shape[0], shape[2], shape[3], shape[1]];
  // Only the unmistakable cases ([N, 3, 32, 32] read as NHWC…): few channels-to-be up front, a large image behind.
  const few = (d: number) => d === 1 || d === 3 || d === 4;
  if (layout === 'NHWC' && few(h) && w >= 8 && c >= 8) {
    throw shapeError(where, `images of shape ${fmtShape(image.shape)} look channels-first (${h} rows, ${c} channels in layout 'NHWC'); pass layout: 'NCHW'`, { shape: image.shape });
  }
  if (layout === 'NCHW' && few(w) && c >= 8 && h >= 8) {
    throw shapeError(where, `images of shape ${fmtShape(image.shape)} look channels-last (${c} channels, ${w} columns in layout 'NCHW'); pass layout: 'NHWC'`, { shape: image.shape });
  }
  if (h < 1 || w < 1 || c < 1) throw shapeError(where, `images of shape ${fmtShape(image.shape)} are empty`);
  const values = image.dataSync();
  const hwc = h * w * c;
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const part = values.subarray(i * hwc, (i + 1) * hwc);
    // dataSync gave a private copy, so views into it can be worked on in place.
    samples.push({ image: layout === 'NHWC' ? part : chwToHwc(part, h, w, c), h, w, c, mc: 0 });
  }
  const form: Form = { bare, rank: image.shape.length, flat, n, input, size: [h, w, c] };

  if (batch.mask !== undefined) {
    const mask = batch.mask;
    if (!(mask instanceof Tensor)) throw invalid(where, `mask must be a tensor, got ${show(mask)}`);
    const ms = single ? [1, ...mask.shape] : [...mask.shape];
    let mh: number, mw: number, mc: number;
    if (ms.length === 3) [mh, mw, mc] = [ms[1], ms[2], 1];
    else if (ms.length === 4) [mh, mw, mc] = layout === 'NHWC' ? [ms[1], ms[2], ms[3]] : [ms[2], ms[3], ms[1]];
    else mh = mw = mc = -1;
    if (ms[0] !== n || mh !== h || mw !== w) {
      throw shapeError(
        where,
        `mask of shape ${fmtShape(mask.shape)} does not fit images of shape ${fmtShape(image.shape)} (layout '${layout}': expected ${single ? '[H, W] or the image layout' : '[N, H, W] or the image layout'} with the same N, H and W)`,
        { maskShape: mask.shape, imageShape: image.shape },
      );
    }
    const mv = mask.dataSync();
    const per = h * w * mc;
    samples.forEach((s, i) => {
      const part = mv.subarray(i * per, (i + 1) * per);
      s.mask = layout === 'NHWC' || ms.length === 3 ? part : chwToHwc(part, h, w, mc);
      s.mc = mc;
    });
    form.maskRank = mask.shape.length;
  }

  if (batch.boxes !== undefined) {
    const { lists, kind } = readBoxes(where, batch.boxes, single, n);
    form.boxes = kind;
    samples.forEach((s, i) => (s.boxes = lists[i]));
    if (batch.boxLabels !== undefined) {
      const bl = batch.boxLabels;
      const per = single ? [bl] : bl;
      if (!Array.isArray(bl) || per.length !== n || per.some((l, i) => !Array.isArray(l) || l.length !== lists[i].length)) {
        throw shapeError(where, `boxLabels must hold one entry per box${single ? '' : ', as one list per image'} (${lists.map((l) => l.length).join(', ')} boxes)`);
      }
      samples.forEach((s, i) => (s.boxLabels = [...(per[i] as unknown[])]));
    }
  } else if (batch.boxLabels !== undefined) {
    throw invalid(where, 'boxLabels given without boxes');
  }

  let labels: Work['labels'];
  if (batch.labels !== undefined) {
    if (!(batch.labels instanceof Tensor)) throw invalid(where, `labels must be a tensor, got ${show(batch.labels)}`);
    if (!single && batch.labels.shape[0] !== n) {
      throw shapeError(where, `labels of shape ${fmtShape(batch.labels.shape)} do not match ${n} images`, { labelsShape: batch.labels.shape });
    }
    labels = { data: batch.labels.dataSync(), shape: [...batch.labels.shape], touched: false };
  }
  return { work: { samples, labels, single }, form };
}

function readBoxes(where: string, boxes: Boxes, single: boolean, n: number): { lists: number[][][]; kind: NonNullable<Form['boxes']> } {
  const toList = (b: Tensor | number[][], at: string): number[][] => {
    if (b instanceof Tensor) {
      if (b.shape.length !== 2 || b.shape[1] !== 4) throw shapeError(where, `boxes${at} must have shape [K, 4] ([x1, y1, x2, y2] per box), got ${fmtShape(b.shape)}`);
      const v = b.dataSync();
      return Array.from({ length: b.shape[0] }, (_, k) => Array.from(v.subarray(k * 4, k * 4 + 4)));
    }
    if (!Array.isArray(b) || b.some((x) => !Array.isArray(x) || x.length !== 4 || x.some((y) => typeof y !== 'number' || !Number.isFinite(y)))) {
      throw invalid(where, `boxes${at} must be a list of [x1, y1, x2, y2] boxes, got ${show(b)}`);
    }
    b.forEach((x, k) => {
      if (x[2] < x[0] || x[3] < x[1]) throw invalid(where, `boxes${at}[${k}] = ${show(x)} is not [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2`);
    });
    return b.map((x) => [...x]);
  };
  if (single) {
    if (boxes instanceof Tensor) return { lists: [toList(boxes, '')], kind: 'tensor' };
    return { lists: [toList(boxes as number[][], '')], kind: 'array' };
  }
  if (boxes instanceof Tensor) {
    throw invalid(where, `boxes for a batch must be one list per image (a Tensor[] of [K, 4] or number[][][]), since images keep different numbers of boxes; got a tensor of shape ${fmtShape(boxes.shape)}`);
  }
  if (!Array.isArray(boxes) || boxes.length !== n) throw shapeError(where, `boxes must hold one list per image (${n} images), got ${show(boxes)}`);
  const tensors = boxes.every((b) => b instanceof Tensor);
  return { lists: (boxes as (Tensor | number[][])[]).map((b, i) => toList(b, `[${i}]`)), kind: tensors ? 'tensors' : 'arrays' };
}

/** Gives the augmented batch back in the form it came in. */
export function writeBatch(work: Work, form: Form, fmt: Format): BatchInput {
  const { samples } = work;
  if (samples.length === 0) return form.input;
  const { h, w, c } = samples[0];
  if (samples.some((s) => s.h !== h || s.w !== w || s.c !== c)) throw new Error('internal: images of a batch ended with different sizes');
  const n = samples.length;
  const hwc = h * w * c;
  const values = new Float32Array(n * hwc);
  samples.forEach((s, i) => values.set(fmt.layout === 'NHWC' ? s.image : hwcToChw(s.image, h, w, c), i * hwc));
  const per = fmt.layout === 'NHWC' ? [h, w, c] : [c, h, w];
  const shape = form.flat ? [n, hwc] : form.rank === 3 ? per : [n, ...per];
  const image = tensor(values, shape);
  if (form.bare) return image;
  const input = form.input as AugmentBatch;
  const out: AugmentBatch = { ...input, image };
  if (input.mask) {
    const mc = samples[0].mc;
    const mv = new Float32Array(n * h * w * mc);
    const mrank = form.maskRank!;
    const channelAxis = mrank === (work.single ? 3 : 4);
    samples.forEach((s, i) => mv.set(fmt.layout === 'NCHW' && channelAxis ? hwcToChw(s.mask!, h, w, mc) : s.mask!, i * h * w * mc));
    const mper = !channelAxis ? [h, w] : fmt.layout === 'NHWC' ? [h, w, mc] : [mc, h, w];
    out.mask = tensor(mv, work.single ? mper : [n, ...mper]);
  }
  if (input.boxes !== undefined) {
    const lists = samples.map((s) => s.boxes!);
    const asTensor = (l: number[][]) => tensor(Float32Array.from(l.flat()), [l.length, 4]);
    out.boxes =
      form.boxes === 'tensor' ? asTensor(lists[0]) : form.boxes === 'array' ? lists[0] : form.boxes === 'tensors' ? lists.map(asTensor) : lists;
    if (input.boxLabels !== undefined) out.boxLabels = work.single ? samples[0].boxLabels : samples.map((s) => s.boxLabels);
  }
  if (work.labels?.touched) out.labels = tensor(work.labels.data, work.labels.shape);
  return out;
}

export function chwToHwc(src: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(h * w * c);
  const hw = h * w;
  for (let k = 0; k < c; k++) for (let p = 0; p < hw; p++) out[p * c + k] = src[k * hw + p];
  return out;
}

export function hwcToChw(src: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(h * w * c);
  const hw = h * w;
  for (let k = 0; k < c; k++) for (let p = 0; p < hw; p++) out[k * hw + p] = src[p * c + k];
  return out;
}
