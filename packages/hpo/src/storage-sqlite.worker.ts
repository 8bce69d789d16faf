// A worker process for the SQLite tests: runs (or resumes) a study on the given file until killed or done.
// Usage: node --import tsx storage-sqlite.worker.ts <db> <studyName> <nTrials> <sleepMs> <seed>
import { RandomSampler } from './random-sampler.js';
import { SQLiteStorage } from './storage-sqlite.js';
import { createStudy } from './study.js';

const [path, studyName, nTrials, sleepMs, seed] = process.argv.slice(2);
const storage = new SQLiteStorage({ path, heartbeatInterval: 0.2, gracePeriod: 1 });
const study = createStudy({ storage, studyName, loadIfExists: true, sampler: new RandomSampler({ seed: Number(seed) }) });
await study.optimize(
  async (trial) => {
    const x = trial.suggestFloat('x', -5, 5);
    const k = trial.suggestCategorical('k', ['a', 'b', 'c']);
    for (let step = 0; step < 3; step++) {
      await new Promise((r) => setTimeout(r, Number(sleepMs) / 3));
      trial.report(x * x + step, step);
    }
    return x * x + (k === 'a' ? 0 : 1);
  },
  { nTrials: Number(nTrials) },
);
storage.close();
