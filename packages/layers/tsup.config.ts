import { packageConfig } from '../../tsup.base';

// src/node.ts is the `node` export condition: index.ts plus the file-system save/load, kept out of browser bundles.
export default packageConfig(['src/index.ts', 'src/node.ts']);
