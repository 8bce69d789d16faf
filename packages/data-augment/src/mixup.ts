import { registry, type JsonObject } from '@nn/core';
import { Augmentation, COMMON_OPTIONS, gate, type CommonOptions } from './augmentation.js';
import { sampleBeta } from './beta.js';
import type { Ctx, Work } from './sample.js';
import { checkOptions, fmtShape, invalid, positive, positiveInteger, probability, shapeError, show } from './validate.js';

export interface MixOptions extends CommonOptions {
  /** Beta(alpha, alpha) concentration (default 1, torchvision's): small alpha keeps lambda near 0 or 1. */
  alpha?: number;
  /** One-hot class-id labels ([N] or [N, 1]) into this many classes before mixing. */
  numClasses?: number;
  /** Probability of mixing a batch (default 1). */
  p?: number;
}

export interface MixupOptions extends MixOptions {
  /** A fixed λ in [0, 1] for every batch instead of a draw from Beta(α, α) (the course's form); excludes alpha. */
  lambda?: number;
}

interface MixRecord {
  lambda: number;
  perm: number[];
  /** cutmix: the pasted box [x1, y1, x2, y2] in pixels. */
  box?: [number, number, number, number];
}

/** Batch mixing: works on whole batches, pairing each image with another through a random permutation. */
abstract class BatchMixer extends Augmentation {
  readonly alpha: number;
  readonly numClasses: number | undefined;

  constructor(where: string, options: MixOptions, extraOptions: readonly string[] = []) {
    checkOptions(where, options, [...COMMON_OPTIONS, 'alpha', 'numClasses', ...extraOptions]);
    super(where, options ?? {});
    this.alpha = positive(where, 'alpha', options?.alpha ?? 1);
    this.numClasses = options?.numClasses === undefined ? undefined : positiveInteger(where, 'numClasses', options.numClasses);
  }

  get perSample(): boolean {
    return false;
  }

  protected abstract mix(work: Work, ctx: Ctx, given?: MixRecord): MixRecord;

  runBatch(work: Work, ctx: Ctx, given?: unknown): unknown {
    if (work.single) throw shapeError(this.name, 'needs a batch of images (rank 4) to mix, got a single image');
    if (!work.labels) throw invalid(this.name, 'needs labels to mix with the images: apply({ image, labels })');
    this.softLabels(work);
    if (given === undefined && !gate(ctx, this.p)) return null;
    if (given === null) return null;
    if (given !== undefined && (typeof given !== 'object' || !Array.isArray((given as MixRecord).perm) || (given as MixRecord).perm.length !== work.samples.length)) {
      throw shapeError(this.name, `replay: the record does not fit ${work.samples.length} image(s): ${show(given)}`);
    }
    return this.mix(work, ctx, given as MixRecord | undefined);
  }

  /** Makes the labels soft [N, K] (one-hot from class ids with numClasses), so every batch leaves in one form. */
  private softLabels(work: Work): void {
    const labels = work.labels!;
    if (labels.touched) return;
    const n = work.samples.length;
    const ids = labels.shape.length === 1 || (labels.shape.length === 2 && labels.shape[1] === 1 && this.numClasses !== undefined);
    if (ids) {
      const k = this.numClasses;
      if (k === undefined) {
        throw shapeError(this.name, `labels of shape ${fmtShape(labels.shape)} look like class ids: pass numClasses to one-hot them, or pass one-hot labels [N, K]`);
      }
      const data = new Float32Array(n * k);
      labels.data.forEach((id, i) => {
        if (!Number.isInteger(id) || id < 0 || id >= k) throw invalid(this.name, `label ${id} of image ${i} is not a class id in [0, ${k}) (numClasses ${k})`);
        data[i * k + id] = 1;
      });
      work.labels = { data, shape: [n, k], touched: true };
    } else if (labels.shape.length === 2) {
      work.labels = { data: labels.data.slice(), shape: labels.shape, touched: true };
    } else {
      throw shapeError(this.name, `labels must be [N, K] (one-hot or soft) or [N] class ids, got shape ${fmtShape(labels.shape)}`);
    }
  }

  protected mixLabels(work: Work, lambda: number, perm: readonly number[]): void {
    const { data, shape } = work.labels!;
    const k = shape[1];
    const out = new Float32Array(data.length);
    for (let i = 0; i < shape[0]; i++) {
      for (let j = 0; j < k; j++) out[i * k + j] = lambda * data[i * k + j] + (1 - lambda) * data[perm[i] * k + j];
    }
    work.labels = { data: out, shape, touched: true };
  }

  protected options(): Record<string, unknown> {
    return { alpha: this.alpha, numClasses: this.numClasses };
  }
}

/**
 * mixup (Zhang et al. 2018): x̃ = λ·x + (1 − λ)·x[perm], ỹ = λ·y + (1 − λ)·y[perm], with one λ ~ Beta(α, α) per
 * batch — "a regularizer dressed as data augmentation".
 */
export class Mixup extends BatchMixer {
  readonly name = 'mixup';
  /** The fixed λ, or undefined when λ is drawn per batch. */
  readonly lambda: number | undefined;

  constructor(options: MixupOptions = {}) {
    super('mixup', options, ['lambda']);
    if (options.lambda !== undefined && options.lambda !== null) {
      if (options.alpha !== undefined) throw invalid('mixup', 'give either alpha (λ drawn from Beta(α, α) per batch) or lambda (a fixed λ), not both', { option: 'lambda' });
      this.lambda = probability('mixup', 'lambda', options.lambda);
    }
  }

  protected mix(work: Work, ctx: Ctx, given?: MixRecord): MixRecord {
    if (work.samples.some((s) => s.mask || s.boxes)) throw invalid(this.name, 'cannot mix masks or boxes (blended targets have no meaning); use cutmix for masks');
    const lambda = given ? given.lambda : (this.lambda ?? sampleBeta(ctx.rng, this.alpha, this.alpha));
    const perm = given ? given.perm : Array.from(ctx.rng.permutation(work.samples.length));
    const originals = work.samples.map((s) => s.image);
    work.samples.forEach((s, i) => {
      const a = originals[i];
      const b = originals[perm[i]];
      const out = new Float32Array(a.length);
      for (let k = 0; k < a.length; k++) out[k] = lambda * a[k] + (1 - lambda) * b[k];
      s.image = out;
    });
    this.mixLabels(work, lambda, perm);
    return { lambda, perm };
  }

  protected override options(): Record<string, unknown> {
    // A fixed λ replaces alpha, so a config carries one or the other.
    if (this.lambda === undefined) return super.options();
    return { lambda: this.lambda, numClasses: this.numClasses };
  }

  static fromConfig(config: JsonObject): Mixup {
    return new Mixup(config as unknown as MixupOptions);
  }
}

/**
 * CutMix (Yun et al. 2019): pastes a box of x[perm] into x; the box's area follows 1 − λ with λ ~ Beta(α, α),
 * and the label weight is corrected to the area actually pasted once the box is clipped to the image.
 */
export class Cutmix extends BatchMixer {
  readonly name = 'cutmix';

  constructor(options: MixOptions = {}) {
    super('cutmix', options);
  }

  protected mix(work: Work, ctx: Ctx, given?: MixRecord): MixRecord {
    if (work.samples.some((s) => s.boxes)) throw invalid(this.name, 'cannot mix boxes');
    const { h, w } = work.samples[0];
    let box: [number, number, number, number];
    let perm: number[];
    if (given) {
      if (!Array.isArray(given.box) || given.box.length !== 4) throw invalid(this.name, `replay: the record has no box: ${show(given)}`);
      box = given.box;
      perm = given.perm;
    } else {
      const raw = sampleBeta(ctx.rng, this.alpha, this.alpha);
      const cut = Math.sqrt(1 - raw);
      const cw = Math.floor(w * cut);
      const ch = Math.floor(h * cut);
      const cx = ctx.rng.int(w);
      const cy = ctx.rng.int(h);
      const x1 = Math.min(Math.max(cx - Math.floor(cw / 2), 0), w);
      const y1 = Math.min(Math.max(cy - Math.floor(ch / 2), 0), h);
      const x2 = Math.min(Math.max(cx - Math.floor(cw / 2) + cw, 0), w);
      const y2 = Math.min(Math.max(cy - Math.floor(ch / 2) + ch, 0), h);
      box = [x1, y1, x2, y2];
      perm = Array.from(ctx.rng.permutation(work.samples.length));
    }
    const [x1, y1, x2, y2] = box;
    const originals = work.samples.map((s) => ({ image: s.image, mask: s.mask }));
    work.samples.forEach((s, i) => {
      const src = originals[perm[i]];
      s.image = paste(originals[i].image, src.image, s.w, s.c, box);
      if (s.mask) s.mask = paste(originals[i].mask!, src.mask!, s.w, s.mc, box);
    });
    const lambda = 1 - ((x2 - x1) * (y2 - y1)) / (w * h);
    this.mixLabels(work, lambda, perm);
    return { lambda, perm, box };
  }

  static fromConfig(config: JsonObject): Cutmix {
    return new Cutmix(config as unknown as MixOptions);
  }
}

function paste(dst: Float32Array, src: Float32Array, w: number, c: number, [x1, y1, x2, y2]: readonly number[]): Float32Array {
  const out = dst.slice();
  for (let i = y1; i < y2; i++) out.set(src.subarray((i * w + x1) * c, (i * w + x2) * c), (i * w + x1) * c);
  return out;
}

export const mixup = (options?: MixupOptions): Mixup => new Mixup(options);
export const cutmix = (options?: MixOptions): Cutmix => new Cutmix(options);

registry.register('augmentation', 'mixup', Mixup);
registry.register('augmentation', 'cutmix', Cutmix);
