// The page of the browser check (scripts/consumer/browser.mjs), bundled by Vite from the installed tarballs.
// 'train': trains a small model and saves it to IndexedDB and localStorage; 'load' (after a reload): loads
// both and predicts, and collects the errors that must name their target.
import { setSeed, tensor } from '@nn/tensor';
import { dense, loadModel, sequential } from '@nn/layers';
import '@nn/optim';

const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.8]]);
const y = tensor([[0], [1], [1], [0], [0.5], [0.6]]);
const predict = (model) => Array.from(model.predict(x).dataSync());

async function message(promise) {
  try {
    await promise;
    return 'no error';
  } catch (e) {
    return String(e.message);
  }
}

globalThis.nnE2E = async (mode) => {
  if (mode === 'train') {
    setSeed(3);
    const model = sequential([dense(8, { activation: 'tanh', inputShape: [2] }), dense(1)]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const history = await model.fit(x, y, { epochs: 30, batchSize: 6, verbose: 0 });
    const losses = history.history.loss;
    await model.save('indexeddb://e2e-model');
    await model.save('localstorage://e2e-model');
    return { predictions: predict(model), losses, lossFell: losses[losses.length - 1] < losses[0] };
  }
  const model = await loadModel('indexeddb://e2e-model');
  const fromLocalStorage = await loadModel('localstorage://e2e-model');
  const errors = [
    ['missing IndexedDB model', await message(loadModel('indexeddb://no-such-model')), 'indexeddb://no-such-model: no model is saved under "no-such-model" \\(saved: .*e2e-model'],
    ['file path in a browser', await message(model.save('./my-model')), "save: ./my-model: a file path needs Node's file system.*indexeddb://"],
    ['unknown scheme', await message(model.save('s3://bucket/m')), 'save: s3://bucket/m: unknown scheme "s3://"'],
    ['http 404', await message(loadModel(`${location.origin}/missing/model.json`)), 'loadModel: http://.*/missing/model.json: HTTP 404'],
  ];
  return { predictions: predict(model), localStorage: predict(fromLocalStorage), errors };
};
