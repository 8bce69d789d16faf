// The Node build of @nn/layers (export condition `node`): everything in index.ts, plus model.save(dir) and
// loadModel(dir) on the file system. Browser bundlers take index.ts and never see node:fs.
import './io/file-system.js';

export * from './index.js';
