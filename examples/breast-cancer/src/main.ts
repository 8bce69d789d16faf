import { courseExample, stableExample } from './experiments.js';

// `pnpm start` (at the repository root or here) runs both versions and compares them.
console.log("1. The course's Keras example: raw features, SGD(lr=0.001), binary cross-entropy, batch 32, 10 epochs\n");
const course = await courseExample();
console.log(`\nTest loss: ${course.testLoss.toFixed(4)} - test accuracy: ${course.testAccuracy.toFixed(4)}\n`);

console.log('2. The same net done well: standardized features, Adam(1e-3) with cosine decay, early stopping on 15% held out\n');
const stable = await stableExample();
console.log(`\nTest loss: ${stable.testLoss.toFixed(4)} - test accuracy: ${stable.testAccuracy.toFixed(4)}\n`);

const row = (name: string, r: typeof course) =>
  `${name.padEnd(40)}${String(r.history.epoch.length).padStart(7)}${r.testLoss.toFixed(4).padStart(10)}${r.testAccuracy.toFixed(4).padStart(10)}${`${r.seconds.toFixed(1)}s`.padStart(8)}`;
console.log(`${'Comparison (143 test samples)'.padEnd(40)}${'epochs'.padStart(7)}${'loss'.padStart(10)}${'accuracy'.padStart(10)}${'time'.padStart(8)}`);
console.log(row('course: raw inputs, SGD 1e-3', course));
console.log(row('stable: standardized, Adam, early stop', stable));
