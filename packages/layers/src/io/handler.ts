import { ErrorCode, NNError } from '@nn/core';

/** What a saved model is, whatever holds it: model.json's text and one weights file (little-endian float32). */
export interface ModelArtifacts {
  modelJson: string;
  /** The weights file's name as model.json's manifest gives it (`weights-<crc>.bin`). */
  weightsFile: string;
  weights: Uint8Array;
}

/** Writes artifacts to one place; `target` names it in errors (`indexeddb://my-model`, a directory). */
export interface ModelSaver {
  readonly target: string;
  save(artifacts: ModelArtifacts): Promise<void>;
}

/** Reads artifacts from one place, model.json first (its manifest names the weights file). */
export interface ModelLoader {
  readonly target: string;
  /** How errors name model.json and the weights file here (a path, a URL, `indexeddb://x`). */
  readonly modelLabel: string;
  weightsLabel(file: string): string;
  readModelJson(): Promise<string>;
  readWeights(file: string): Promise<Uint8Array>;
}

/**
 * A place models are saved to or loaded from, by URL scheme (tfjs' IO handlers): registry kind `ioScheme`,
 * so a plugin can add one (`s3://`). `rest` is the target without `scheme://`.
 */
export interface IOScheme {
  saver?(rest: string, target: string): ModelSaver;
  loader?(rest: string, target: string): ModelLoader;
  /** Reads a whole text file (a CSV for `readCsv`). */
  readText?(rest: string, target: string): Promise<string>;
  /** Deletes a saved model (modelCheckpoint's keepLast); a scheme without it keeps every checkpoint. */
  remove?(rest: string, target: string): Promise<void>;
  /** Replaces a whole text file, atomically (the csvLogger's file). */
  writeText?(rest: string, target: string, text: string): Promise<void>;
}

declare module '@nn/core' {
  interface RegistryKinds {
    ioScheme: IOScheme;
  }
}

/** Where `model.save` can write: a directory (Node), `indexeddb://`, `localstorage://`, `downloads://`, or a saver. */
export type SaveTarget = string | ModelSaver;
/** Where `loadModel` can read: a directory (Node), a scheme URL, `http(s)://`, `File`s (model.json + weights), or a loader. */
export type LoadSource = string | ModelLoader | Iterable<Blob> | ArrayLike<Blob>;

/** An IO failure that names the operation and the target. */
export const ioError = (op: 'save' | 'loadModel', target: string, message: string, details: Record<string, unknown> = {}) =>
  new NNError(ErrorCode.InvalidConfig, `${op}: ${target}: ${message}`, { target, ...details });
