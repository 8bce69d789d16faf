/// <reference lib="dom" />
import { registry } from '@nn/core';
import { ioError, type ModelArtifacts, type ModelLoader, type ModelSaver } from './handler.js';

// One database, one object store keyed by model name; a model is one record, written in one transaction,
// so a reader sees the old model or the new one, never half of each.
const DB = 'nn-models';
const STORE = 'models';

function open(op: 'save' | 'loadModel', target: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(ioError(op, target, 'IndexedDB is not available here (it is a browser API)'));
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(ioError(op, target, `cannot open IndexedDB (${req.error?.message ?? 'unknown error'})`));
  });
}

function request<T>(op: 'save' | 'loadModel', target: string, db: IDBDatabase, mode: IDBTransactionMode, make: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = make(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result as T);
    tx.onerror = tx.onabort = () => reject(ioError(op, target, `IndexedDB failed (${(tx.error ?? req.error)?.message ?? 'aborted'})`));
  });
}

interface Row { modelJson: string; weightsFile: string; weights: ArrayBuffer }

/** `indexeddb://name`: the browser's IndexedDB, database `nn-models`. */
const indexedDbScheme = {
  saver: (name: string, target: string): ModelSaver => ({
    target,
    async save({ modelJson, weightsFile, weights }: ModelArtifacts) {
      const db = await open('save', target);
      try {
        const row: Row = { modelJson, weightsFile, weights: weights.slice().buffer };
        await request('save', target, db, 'readwrite', (s) => s.put(row, name));
      } finally {
        db.close();
      }
    },
  }),
  loader: (name: string, target: string): ModelLoader => {
    let row: Promise<Row> | undefined;
    const get = () =>
      (row ??= (async () => {
        const db = await open('loadModel', target);
        try {
          const found = await request<Row | undefined>('loadModel', target, db, 'readonly', (s) => s.get(name));
          if (!found) {
            const saved = await request<IDBValidKey[]>('loadModel', target, db, 'readonly', (s) => s.getAllKeys());
            throw ioError('loadModel', target, `no model is saved under "${name}" (saved: ${saved.map(String).join(', ') || 'none'})`);
          }
          return found;
        } finally {
          db.close();
        }
      })());
    return {
      target,
      modelLabel: target,
      weightsLabel: (file) => `${target} (${file})`,
      readModelJson: async () => (await get()).modelJson,
      readWeights: async () => new Uint8Array((await get()).weights),
    };
  },
};

registry.register('ioScheme', 'indexeddb', indexedDbScheme);
