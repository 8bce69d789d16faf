// A worker process for the PostgreSQL tests: runs (or resumes) a study until killed or done, printing
// "done <number> <state> <uid>" for every trial it finished (what it believes is stored).
// Usage: node --import tsx storage-postgres.worker.ts <url> <studyName> <nTrials> <sleepMs> <seed>
import { RandomSampler } from './random-sampler.js';
import { PostgresStorage } from './storage-postgres.js';
import { createStudy } from './study.js';

const [url, studyName, nTrials, sleepMs, seed] = process.argv.slice(2);
const storage = new PostgresStorage({ url, heartbeatInterval: 0.25, gracePeriod: 2, retryStaleTrials: 1, reconnectTimeout: 30 });
const study = createStudy({ storage, studyName, loadIfExists: true, sampler: new RandomSampler({ seed: Number(seed) }) });
let count = 0;
await study.optimize(
  async (trial) => {
    trial.setUserAttr('uid', `${process.pid}-${count++}`);
    trial.setUserAttr('pid', process.pid);
    const x = trial.suggestFloat('x', -5, 5);
    const k = trial.suggestCategorical('k', ['a', 'b', 'c']);
    for (let step = 0; step < 3; step++) {
      await new Promise((r) => setTimeout(r, Number(sleepMs) / 3));
      trial.report(x * x + step, step);
    }
    return x * x + (k === 'a' ? 0 : 1);
  },
  { nTrials: Number(nTrials), callbacks: [(_s, t) => process.stdout.write(`done ${t.number} ${t.state} ${String(t.userAttrs.uid)}\n`)] },
);
storage.close();
