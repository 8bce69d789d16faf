/// <reference lib="dom" />
import { registry } from '@nn/core';
import { ioError, type ModelArtifacts, type ModelLoader, type ModelSaver } from './handler.js';

// localStorage holds strings: model.json as is, the weights in base64, under `nn-model/<name>/…` keys. The
// weights go first and model.json last, so a model.json is only ever seen beside its weights.
const key = (name: string, part: string) => `nn-model/${name}/${part}`;

function storage(op: 'save' | 'loadModel', target: string): Storage {
  if (typeof localStorage === 'undefined') throw ioError(op, target, 'localStorage is not available here (it is a browser API)');
  return localStorage;
}

const toBase64 = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const fromBase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** `localstorage://name`: the browser's localStorage (a few MB: small models only). */
const localStorageScheme = {
  saver: (name: string, target: string): ModelSaver => ({
    target,
    async save({ modelJson, weightsFile, weights }: ModelArtifacts) {
      const store = storage('save', target);
      try {
        store.setItem(key(name, weightsFile), toBase64(weights));
        store.setItem(key(name, 'model.json'), modelJson);
      } catch (e) {
        throw ioError('save', target, `localStorage refused ${weights.length} bytes of weights (${(e as Error).name}); use indexeddb:// for larger models`);
      }
      // Weights of earlier saves under this name are unreferenced now.
      for (let i = store.length - 1; i >= 0; i--) {
        const k = store.key(i);
        if (k?.startsWith(key(name, 'weights-')) && k !== key(name, weightsFile)) store.removeItem(k);
      }
    },
  }),
  loader: (name: string, target: string): ModelLoader => ({
    target,
    modelLabel: target,
    weightsLabel: (file) => `${target} (${file})`,
    async readModelJson() {
      const text = storage('loadModel', target).getItem(key(name, 'model.json'));
      if (text === null) throw ioError('loadModel', target, `no model is saved under "${name}"`);
      return text;
    },
    async readWeights(file) {
      const text = storage('loadModel', target).getItem(key(name, file));
      if (text === null) throw ioError('loadModel', target, `the weights ${file} are missing`);
      return fromBase64(text);
    },
  }),
};

registry.register('ioScheme', 'localstorage', localStorageScheme);
