import { defineConfig, type Options } from 'tsup';
import { packageConfig } from '../../tsup.base';

// shims: the CommonJS build gets an `import.meta.url`, which SQLiteStorage uses to load better-sqlite3 lazily.
export default defineConfig({ ...(packageConfig() as Options), shims: true });
