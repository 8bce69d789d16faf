import { registry } from '@nn/core';
import { ioError, type ModelLoader } from './handler.js';

async function get(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw ioError('loadModel', url, `cannot fetch ${what} (${(e as Error).message})`);
  }
  if (!res.ok) throw ioError('loadModel', url, `HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

/**
 * `http(s)://…/model.json` (or the folder URL it lives in): fetches model.json, then the weights file it names,
 * relative to it — a model saved to a directory and served as static files.
 */
const httpScheme = {
  loader: (_rest: string, target: string): ModelLoader => {
    const jsonUrl = target.endsWith('.json') ? target : `${target.replace(/\/+$/, '')}/model.json`;
    const weightsUrl = (file: string) => new URL(file, jsonUrl).href;
    return {
      target,
      modelLabel: jsonUrl,
      weightsLabel: weightsUrl,
      readModelJson: async () => (await get(jsonUrl, 'model.json')).text(),
      readWeights: async (file) => new Uint8Array(await (await get(weightsUrl(file), 'the weights')).arrayBuffer()),
    };
  },
};

registry.register('ioScheme', 'http', httpScheme);
registry.register('ioScheme', 'https', httpScheme);
