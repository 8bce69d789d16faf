import { describe, expect, it } from 'vitest';
import { linearScaling } from './index.js';

describe('linearScaling', () => {
  it('batch size times k gives lr times k', () => {
    expect(linearScaling({ lr: 0.1, batchSize: 1024, baseBatchSize: 256 })).toBeCloseTo(0.4, 15);
    expect(linearScaling({ lr: 0.1, batchSize: 32, baseBatchSize: 256 })).toBeCloseTo(0.0125, 15);
  });
});
