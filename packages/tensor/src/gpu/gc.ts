// Forcing garbage collection in tests and the soak script, so FinalizationRegistry callbacks (which release
// the textures of unreferenced tensors) run at a known point.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * Collects garbage and lets finalizers run. V8 runs FinalizationRegistry callbacks in a task of its own, not
 * always before the next timer, so this repeats until `probe` (a live count) holds still for three rounds.
 */
export async function collect(probe: () => number = () => 0): Promise<void> {
  let last = NaN;
  let still = 0;
  for (let round = 0; round < 40 && still < 3; round++) {
    gc();
    await tick();
    const now = probe();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}
