import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeActivationSvgs } from './activations.js';
import { dyingRelu } from './dying-relu.js';
import { compareGradients, type DeepNetKind } from './gradients.js';
import { bestLinearAccuracy, handBuiltXor, trainHidden, trainLinear } from './xor.js';

// `pnpm start` runs every demonstration; `pnpm start <name>` (or `pnpm xor`, `pnpm vanishing`, …) one of them.

const fmt = (v: number) => v.toExponential(2);

async function xor(): Promise<void> {
  console.log('XOR needs a hidden layer');
  console.log(`  best accuracy of any linear classifier w·x + b > 0 (grid over [-2, 2]^3): ${bestLinearAccuracy()}`);
  const lin = await trainLinear();
  console.log(`  logistic regression, 500 epochs of Adam: loss ${lin.loss.toFixed(4)} (ln 2 = ${Math.LN2.toFixed(4)}), outputs ${lin.outputs.map((o) => o.toFixed(3)).join(' ')}`);
  console.log(`  hand-built relu net h = relu(x·[[1,1],[1,1]] + [0,-1]), y = h·[1,-2]: outputs ${handBuiltXor().join(' ')}`);
  const hidden = await trainHidden();
  console.log(`  4 tanh hidden units, trained: accuracy ${hidden.accuracy}, loss ${hidden.loss.toFixed(4)}, outputs ${hidden.outputs.map((o) => o.toFixed(3)).join(' ')}\n`);
}

function table(title: string, kinds: DeepNetKind[]): void {
  const norms = compareGradients(kinds);
  console.log(title);
  console.log(`  ${'layer'.padEnd(7)}${kinds.map((k) => k.padStart(11)).join('')}`);
  const rows = norms[kinds[0]].length;
  for (let i = 0; i < rows; i++) console.log(`  ${(i === rows - 1 ? 'output' : String(i + 1)).padEnd(7)}${kinds.map((k) => fmt(norms[k][i]).padStart(11)).join('')}`);
  const span = (n: number[]) => Math.log10(n[n.length - 2] / n[0]);
  console.log(`  ${'orders'.padEnd(7)}${kinds.map((k) => span(norms[k]).toFixed(1).padStart(11)).join('')}   (log10 of last hidden / first layer)\n`);
}

async function dying(): Promise<void> {
  console.log('The dying ReLU (64 first-layer units, inputs in [0, 1]^2, 3 epochs at the lr, then 3 at lr 0.01)');
  for (const [label, options] of [['relu, lr 0.1', { lr: 0.1 }], ['relu, lr 3', { lr: 3 }], ['leakyRelu, lr 3', { activation: 'leakyRelu', lr: 3 }]] as const) {
    const r = await dyingRelu(options);
    console.log(`  ${label.padEnd(16)} dead at init ${String(r.deadAtInit).padStart(2)}, after ${String(r.deadAfter).padStart(2)}, of those never moving again ${String(r.frozen).padStart(2)}; accuracy ${r.accuracy.toFixed(3)}`);
  }
  console.log('');
}

const demos: Record<string, () => void | Promise<void>> = {
  xor,
  vanishing: () => table('Vanishing gradients: ||dL/dW|| per dense layer, 10 hidden layers of 32 units', ['sigmoid', 'relu']),
  cures: () => table('The cures: residual connections and batch norm in the same sigmoid net', ['sigmoid', 'residual', 'batchNorm']),
  'dying-relu': dying,
  activations: () => {
    const dir = fileURLToPath(new URL('../docs/activations/', import.meta.url));
    console.log('Each activation and its derivative:');
    for (const path of writeActivationSvgs(dir)) console.log(`  ${relative(process.cwd(), path)}`);
  },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in demos));
if (unknown.length) {
  console.error(`unknown demonstration ${unknown.join(', ')}; choose from ${Object.keys(demos).join(', ')}`);
  process.exit(1);
}
for (const name of wanted.length ? wanted : Object.keys(demos)) await demos[name]();
