import { describe, expect, it } from 'vitest';
import { createStudy } from '../study.js';
import { TrialPruned } from '../trial.js';
import { plotIntermediateValues } from './intermediate.js';
import '../index.js';

describe('plotIntermediateValues', () => {
  it('draws each trial’s curve at hand-computed coordinates, coloured by state', async () => {
    const study = createStudy({ pruner: 'nop' });
    await study.optimize((t) => {
      if (t.number === 1) {
        t.report(3, 0);
        throw new TrialPruned();
      }
      [1, 2, 3].forEach((v, step) => t.report(v, step));
      return 3;
    }, { nTrials: 2 });
    const svg = plotIntermediateValues(study);
    // x: steps 0..2 onto 70..620; y: values padded 5% to [0.9, 3.1] onto 350..34.
    expect(svg).toContain('<path class="curve complete" d="M70,335.64 L345,192 L620,48.36" fill="none" stroke="#1f77b4"');
    expect(svg).toContain('<path class="curve pruned" d="M70,48.36" fill="none" stroke="#d62728"');
    expect(svg).toContain('<title>trial 1 (pruned): 3 at step 0</title>');
    expect(svg).toContain('<circle cx="70" cy="48.36" r="2.5" fill="#d62728"/>');
  });

  it('says when nothing was reported, and checks its options', () => {
    const study = createStudy();
    expect(plotIntermediateValues(study)).toContain('no intermediate values reported yet');
    expect(() => plotIntermediateValues(study, { target: () => 1 } as never)).toThrow('plotIntermediateValues: unknown option "target"');
  });
});
