import { ErrorCode, NNError } from '@nn/core';
import { tensor, zeros } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, type OptimizerStateDict } from './index.js';

/** An Adam (AMSGrad) that took two steps, and its state dict as JSON data. */
function saved(): OptimizerStateDict {
  const w = tensor([[1, 2, 3], [4, 5, 6]]);
  const opt = new Adam([w], { lr: 0.1, amsgrad: true });
  for (let i = 0; i < 2; i++) {
    w.grad = tensor([[0.1, -0.2, 0.3], [0.4, -0.5, 0.6]]);
    opt.step();
  }
  return JSON.parse(JSON.stringify(opt.stateDict())) as OptimizerStateDict;
}

function refused(sd: OptimizerStateDict, message: RegExp): void {
  const w = zeros([2, 3]);
  const opt = new Adam([w], { lr: 0.1, amsgrad: true });
  let caught: unknown;
  try {
    opt.loadStateDict(sd);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NNError);
  expect((caught as NNError).code).toBe(ErrorCode.StateMismatch);
  expect((caught as NNError).message).toMatch(message);
  expect(opt.stepCount).toBe(0);
}

const b64 = (sd: OptimizerStateDict, key: string) => sd.state[0][key] as { base64: string; crc32?: number };

describe('state dict hardening', () => {
  it('loads what it saved', () => {
    const opt = new Adam([zeros([2, 3])], { lr: 0.1, amsgrad: true });
    opt.loadStateDict(saved());
    expect(opt.stepCount).toBe(2);
  });

  it('refuses one flipped base64 character (checksum)', () => {
    const sd = saved();
    const enc = b64(sd, 'expAvg');
    const i = 5;
    enc.base64 = enc.base64.slice(0, i) + (enc.base64[i] === 'A' ? 'B' : 'A') + enc.base64.slice(i + 1);
    refused(sd, /^Adam\.loadStateDict: state of parameter 0: expAvg is corrupted \(its checksum does not match its data\)$/);
  });

  it('refuses NaN moments, a missing checksum, an absurd step count, and AMSGrad state without maxExpAvgSq', () => {
    const nan = saved();
    const nanValues = new Float32Array([NaN, 0, 0, 0, 0, 0]);
    const bytes = new Uint8Array(nanValues.buffer);
    b64(nan, 'expAvgSq').base64 = Buffer.from(bytes).toString('base64');
    delete b64(nan, 'expAvgSq').crc32;
    refused(nan, /expAvgSq has no crc32/);
    const nanV1 = { ...nan, format: 1 };
    refused(nanV1, /^Adam\.loadStateDict: state of parameter 0: expAvgSq\[0\] is NaN; optimizer state must be finite$/);

    refused({ ...saved(), stepCount: 1e300 }, /stepCount must be a non-negative integer up to 2\^53 - 1, got 1e\+300/);
    const step = saved();
    step.state[0].step = 1e300;
    refused(step, /state of parameter 0: step must be a non-negative integer up to 2\^53 - 1/);

    const noMax = saved();
    delete noMax.state[0].maxExpAvgSq;
    refused(noMax, /state of parameter 0 lacks maxExpAvgSq/);
  });
});
