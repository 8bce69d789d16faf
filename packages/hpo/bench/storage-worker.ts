// One worker of the storage benchmark: ask/tell `n` trivial trials on a study, then print
// "<start ms> <end ms>" (epoch) so the parent can compute the throughput of all workers together.
// Usage: tsx bench/storage-worker.ts <storage URL> <study> <n> <seed>
import '../src/index.js';
import { RandomSampler } from '../src/random-sampler.js';
import { createStudy } from '../src/study.js';

const [url, studyName, n, seed] = process.argv.slice(2);
const study = createStudy({ storage: url, studyName, loadIfExists: true, sampler: new RandomSampler({ seed: Number(seed) }), pruner: 'nop' });
const start = Date.now();
for (let i = 0; i < Number(n); i++) {
  const trial = study.ask();
  study.tell(trial, trial.suggestFloat('x', -1, 1) ** 2);
}
process.stdout.write(`${start} ${Date.now()}\n`);
study.storage.close?.();
