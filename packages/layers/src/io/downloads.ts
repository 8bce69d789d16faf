/// <reference lib="dom" />
import { registry } from '@nn/core';
import { ioError, type ModelArtifacts, type ModelSaver } from './handler.js';

/**
 * `downloads://name`: the browser downloads `name.json` (model.json) and the weights file under the name its
 * manifest gives; `loadModel([jsonFile, weightsFile])` reads them back.
 */
const downloadsScheme = {
  saver: (name: string, target: string): ModelSaver => ({
    target,
    async save({ modelJson, weightsFile, weights }: ModelArtifacts) {
      if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') throw ioError('save', target, 'downloads need a browser page (document)');
      const files: [string, BlobPart, string][] = [[weightsFile, weights.slice().buffer, 'application/octet-stream'], [`${name || 'model'}.json`, modelJson, 'application/json']];
      for (const [file, data, type] of files) {
        const url = URL.createObjectURL(new Blob([data], { type }));
        const a = document.createElement('a');
        a.href = url;
        a.download = file;
        a.click();
        // The click starts the download asynchronously; revoke once it has had the chance to read the blob.
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }
    },
  }),
};

registry.register('ioScheme', 'downloads', downloadsScheme);
