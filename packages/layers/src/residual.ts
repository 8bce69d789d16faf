import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { add, type Tensor } from '@nn/tensor';
import { baseOptions, checkLayerOptions, fmtShape, Layer, type LayerOptions, type Shape } from './layer.js';

/** The course's residual module: z = a + f(a), with f any layer (usually a sequential block) keeping the shape. */
export class Residual extends Layer {
  readonly block: Layer;

  constructor(block: Layer, options: LayerOptions = {}) {
    super(checkLayerOptions('residual', options, []), 'residual');
    if (!(block instanceof Layer)) throw new NNError(ErrorCode.InvalidArgument, 'residual: block must be a layer (e.g. sequential([...]))');
    this.block = block;
    // Built frozen (from a config): freeze what it holds, as the trainable setter does.
    if (!this.trainable) this.syncRequiresGrad(true);
  }

  static fromConfig(config: JsonObject): Residual {
    checkLayerOptions('residual', config, ['block']);
    return new Residual(config.block as unknown as Layer, baseOptions(config));
  }

  override children(): Layer[] {
    return [this.block];
  }

  override build(inputShape: Shape): void {
    this.block.ensureBuilt(inputShape);
    const out = this.block.computeOutputShape(inputShape);
    if (out.join() !== inputShape.join()) {
      throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: the block maps shape ${fmtShape(inputShape)} to ${fmtShape(out)}; a residual block must keep the shape`);
    }
  }

  call(x: Tensor, training: boolean): Tensor {
    return add(x, this.block.applyTensor(x, training));
  }

  override getConfig() {
    return { ...super.getConfig(), block: this.block };
  }
}

export const residual = (block: Layer, options?: LayerOptions) => new Residual(block, options);
registry.register('layer', 'residual', Residual);
