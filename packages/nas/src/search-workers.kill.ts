// A search process for the kill test: two worker processes whose trials from 2 on never end, until the test
// kills this process. Usage: node --import tsx search-workers.kill.ts <db>
import { RandomArchitectures, search } from './index.js';
import { space } from './search-workers.evaluate.js';

await search({
  space,
  strategy: new RandomArchitectures({ space, seed: 7 }),
  evaluate: { module: new URL('./search-workers.evaluate.ts', import.meta.url), export: 'evaluateOrHang' },
  budget: 6,
  concurrency: 2,
  storage: `sqlite:///${process.argv[2]}`,
});
