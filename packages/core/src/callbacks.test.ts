import { describe, expect, it } from 'vitest';
import { runCallbacks, type Callback } from './index.js';

describe('runCallbacks', () => {
  it('runs a hook on every callback in order, awaiting async ones, skipping those without it', async () => {
    const seen: string[] = [];
    const callbacks: Callback[] = [
      { onEpochEnd: async (epoch, logs) => { await new Promise((r) => setTimeout(r, 5)); seen.push(`a${epoch}:${logs?.loss}`); } },
      {},
      { onEpochEnd(epoch) { seen.push(`c${epoch}`); } },
    ];
    await runCallbacks(callbacks, 'onEpochEnd', 3, { loss: 0.5 });
    expect(seen).toEqual(['a3:0.5', 'c3']);
  });
});
