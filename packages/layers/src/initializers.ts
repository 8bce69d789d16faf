import { checkOptions, ErrorCode, finite, NNError, nonNegative, oneOfChoices, optionError, registry, type JsonObject } from '@nn/core';
import { full, Generator, globalGenerator, rand, randn, truncatedNormal, type Tensor } from '@nn/tensor';

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/** Makes a weight's initial values. `fans` come from the layer (a dense kernel `[in, out]`: in and out). */
export interface Initializer {
  init(shape: number[], fans: Fans): Tensor;
  getConfig(): Record<string, unknown>;
}

export type InitializerSpec = Initializer | string;

declare module '@nn/core' {
  interface RegistryKinds {
    initializer: { fromConfig(config: JsonObject): Initializer };
  }
}

interface SeedOption {
  /** A seed of the initializer's own stream; without it draws come from the global generator (`setSeed`). */
  seed?: number;
}

abstract class Seeded implements Initializer {
  readonly seed?: number;
  private gen?: Generator;
  constructor({ seed }: SeedOption = {}) {
    if (seed !== undefined && seed !== null) finite('initializer', 'seed', seed);
    this.seed = seed ?? undefined;
  }
  protected get generator(): Generator {
    if (this.seed === undefined) return globalGenerator;
    return (this.gen ??= new Generator(this.seed));
  }
  abstract init(shape: number[], fans: Fans): Tensor;
  getConfig(): Record<string, unknown> {
    return this.seed === undefined ? {} : { seed: this.seed };
  }
}

export class Zeros implements Initializer {
  static fromConfig = (c: JsonObject) => (checkOptions('zeros', c ?? undefined, []), new Zeros());
  init(shape: number[], _fans?: Fans): Tensor {
    return full(shape, 0);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

export class Ones implements Initializer {
  static fromConfig = (c: JsonObject) => (checkOptions('ones', c ?? undefined, []), new Ones());
  init(shape: number[], _fans?: Fans): Tensor {
    return full(shape, 1);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

export class Constant implements Initializer {
  readonly value: number;
  constructor(options: { value?: number } = {}) {
    const { value = 0 } = checkOptions('constant', options ?? undefined, ['value']);
    this.value = finite('constant', 'value', value);
  }
  static fromConfig = (c: JsonObject) => new Constant(c as { value?: number });
  init(shape: number[], _fans?: Fans): Tensor {
    return full(shape, this.value);
  }
  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** What RandomNormal and TruncatedNormal share: a mean, a stddev (Keras' defaults 0 and 0.05) and a seed. */
abstract class NormalLike extends Seeded {
  readonly mean: number;
  readonly stddev: number;
  constructor(options: { mean?: number; stddev?: number } & SeedOption = {}) {
    // Named as registered (randomNormal, truncatedNormal): the class name with a lower-case first letter.
    const who = new.target.name[0].toLowerCase() + new.target.name.slice(1);
    const { mean = 0, stddev = 0.05, seed } = checkOptions(who, options ?? undefined, ['mean', 'stddev', 'seed']);
    super({ seed });
    this.mean = finite(who, 'mean', mean);
    this.stddev = nonNegative(who, 'stddev', stddev);
  }
  override getConfig() {
    return { mean: this.mean, stddev: this.stddev, ...super.getConfig() };
  }
}

export class RandomNormal extends NormalLike {
  static fromConfig = (c: JsonObject) => new RandomNormal(c as { mean?: number; stddev?: number; seed?: number });
  init(shape: number[]): Tensor {
    return randn(shape, { mean: this.mean, std: this.stddev, generator: this.generator });
  }
}

export class RandomUniform extends Seeded {
  readonly minval: number;
  readonly maxval: number;
  /** Keras' defaults: [-0.05, 0.05]. */
  constructor(options: { minval?: number; maxval?: number } & SeedOption = {}) {
    const { minval = -0.05, maxval = 0.05, seed } = checkOptions('randomUniform', options ?? undefined, ['minval', 'maxval', 'seed']);
    super({ seed });
    this.minval = finite('randomUniform', 'minval', minval);
    this.maxval = finite('randomUniform', 'maxval', maxval);
    if (maxval < minval) throw optionError('randomUniform', 'maxval', `must be >= minval (${minval})`, maxval);
  }
  static fromConfig = (c: JsonObject) => new RandomUniform(c as { minval?: number; maxval?: number; seed?: number });
  init(shape: number[]): Tensor {
    return rand(shape, { low: this.minval, high: this.maxval, generator: this.generator });
  }
  override getConfig() {
    return { minval: this.minval, maxval: this.maxval, ...super.getConfig() };
  }
}

/** A normal redrawn beyond two stddevs of the mean. */
export class TruncatedNormal extends NormalLike {
  static fromConfig = (c: JsonObject) => new TruncatedNormal(c as { mean?: number; stddev?: number; seed?: number });
  init(shape: number[]): Tensor {
    return truncatedNormal(shape, { mean: this.mean, std: this.stddev, generator: this.generator });
  }
}

/** The std of a standard normal truncated to ±2: Keras divides by it so truncated draws keep the target variance. */
const TRUNCATED_STD = 0.87962566103423978;

type Mode = 'fanIn' | 'fanOut' | 'fanAvg';
type Distribution = 'uniform' | 'normal' | 'truncatedNormal';

/**
 * Keras' VarianceScaling: variance = scale / n, n = fanIn, fanOut or their mean. The named initializers
 * below are its special cases, so each has exactly the variance of its derivation.
 */
export class VarianceScaling extends Seeded {
  readonly scale: number;
  readonly mode: Mode;
  readonly distribution: Distribution;
  constructor(options: { scale?: number; mode?: Mode; distribution?: Distribution } & SeedOption = {}) {
    const { scale = 1, mode = 'fanIn', distribution = 'truncatedNormal', seed } = checkOptions('varianceScaling', options ?? undefined, ['scale', 'mode', 'distribution', 'seed']);
    super({ seed });
    if (typeof scale !== 'number' || !(scale > 0) || scale === Infinity) throw new NNError(ErrorCode.InvalidArgument, `varianceScaling: scale must be > 0, got ${scale}`);
    this.scale = scale;
    this.mode = oneOfChoices('varianceScaling', 'mode', mode, ['fanIn', 'fanOut', 'fanAvg']);
    this.distribution = oneOfChoices('varianceScaling', 'distribution', distribution, ['uniform', 'normal', 'truncatedNormal']);
  }
  static fromConfig = (c: JsonObject) => new VarianceScaling(c as ConstructorParameters<typeof VarianceScaling>[0]);
  init(shape: number[], { fanIn, fanOut }: Fans): Tensor {
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const g = this.generator;
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return rand(shape, { low: -limit, high: limit, generator: g });
    }
    if (this.distribution === 'normal') return randn(shape, { std: Math.sqrt(variance), generator: g });
    return truncatedNormal(shape, { std: Math.sqrt(variance) / TRUNCATED_STD, generator: g });
  }
  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, ...super.getConfig() };
  }
}

/** A named special case of {@link VarianceScaling} (its options: only a seed). */
export interface PresetInitializerClass {
  new (options?: SeedOption): VarianceScaling;
  fromConfig(config: JsonObject): VarianceScaling;
}

function preset(name: string, scale: number, mode: Mode, distribution: Distribution): PresetInitializerClass {
  const C = class extends VarianceScaling {
    constructor(options: SeedOption = {}) {
      super({ scale, mode, distribution, seed: checkOptions(name, options ?? undefined, ['seed']).seed });
    }
    static override fromConfig = (c: JsonObject): VarianceScaling => new C(c as SeedOption);
    override getConfig(): Record<string, unknown> {
      return this.seed === undefined ? {} : { seed: this.seed };
    }
  };
  Object.defineProperty(C, 'name', { value: name[0].toUpperCase() + name.slice(1) });
  return C;
}

/** Glorot/Xavier uniform on ±sqrt(6/(nIn+nOut)): variance 2/(nIn+nOut), as the course derives it. Keras' kernel default. */
export const GlorotUniform = preset('glorotUniform', 1, 'fanAvg', 'uniform');
/** Glorot/Xavier normal with variance 2/(nIn+nOut) — the course's plain normal (Keras truncates; use varianceScaling for that). */
export const GlorotNormal = preset('glorotNormal', 1, 'fanAvg', 'normal');
/** He uniform on ±sqrt(6/nIn), for ReLU nets. */
export const HeUniform = preset('heUniform', 2, 'fanIn', 'uniform');
/** He normal as Keras: truncated normal whose variance is 2/nIn, for ReLU nets. */
export const HeNormal = preset('heNormal', 2, 'fanIn', 'truncatedNormal');
/** LeCun normal as Keras (truncated, variance 1/nIn): the one SELU nets need. */
export const LecunNormal = preset('lecunNormal', 1, 'fanIn', 'truncatedNormal');
/** LeCun uniform on ±sqrt(3/nIn). */
export const LecunUniform = preset('lecunUniform', 1, 'fanIn', 'uniform');

const builtins: Record<string, { fromConfig(c: JsonObject): Initializer }> = {
  zeros: Zeros,
  ones: Ones,
  constant: Constant,
  randomNormal: RandomNormal,
  randomUniform: RandomUniform,
  truncatedNormal: TruncatedNormal,
  varianceScaling: VarianceScaling,
  glorotUniform: GlorotUniform,
  glorotNormal: GlorotNormal,
  heUniform: HeUniform,
  heNormal: HeNormal,
  lecunNormal: LecunNormal,
  lecunUniform: LecunUniform,
};
for (const [name, cls] of Object.entries(builtins)) registry.register('initializer', name, cls);
// Keras' other spellings, so configs written by hand in either style load.
registry.register('initializer', 'xavierUniform', GlorotUniform);
registry.register('initializer', 'xavierNormal', GlorotNormal);

/** An initializer from a name (through the registry) or an instance. */
export function getInitializer(spec: InitializerSpec): Initializer {
  if (typeof spec === 'string') return registry.get('initializer', spec).fromConfig({});
  if (spec && typeof spec.init === 'function') return spec;
  throw new NNError(ErrorCode.InvalidArgument, `initializer: expected a name (${registry.list('initializer').join(', ')}) or an object with init(shape, fans), got ${typeof spec}`);
}

/** Factories in the API's names: `initializers.heNormal({ seed: 1 })`. */
export const initializers = {
  zeros: () => new Zeros(),
  ones: () => new Ones(),
  constant: (value: number) => new Constant({ value }),
  randomNormal: (o?: ConstructorParameters<typeof RandomNormal>[0]) => new RandomNormal(o),
  randomUniform: (o?: ConstructorParameters<typeof RandomUniform>[0]) => new RandomUniform(o),
  truncatedNormal: (o?: ConstructorParameters<typeof TruncatedNormal>[0]) => new TruncatedNormal(o),
  varianceScaling: (o?: ConstructorParameters<typeof VarianceScaling>[0]) => new VarianceScaling(o),
  glorotUniform: (o?: SeedOption) => new GlorotUniform(o),
  glorotNormal: (o?: SeedOption) => new GlorotNormal(o),
  heUniform: (o?: SeedOption) => new HeUniform(o),
  heNormal: (o?: SeedOption) => new HeNormal(o),
  lecunNormal: (o?: SeedOption) => new LecunNormal(o),
  lecunUniform: (o?: SeedOption) => new LecunUniform(o),
};
