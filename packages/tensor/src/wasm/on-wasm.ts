// Imported first by the conformance test files: everything they (and the suites they import) make lives on 'wasm'.
import { setBackend } from '../backend.js';
import './index.js';

setBackend('wasm');
