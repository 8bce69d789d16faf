import { defineConfig, type Options } from 'tsup';
import { packageConfig } from '../../tsup.base';

// process-worker: the entry point of the worker processes `optimize` starts for an objective module.
// storage-postgres.thread: the worker thread PostgresStorage runs its queries on. cli: the nn-hpo bin.
// shims: the CommonJS build gets an `import.meta.url`, used to find that entry and to load better-sqlite3 lazily.
export default defineConfig({ ...(packageConfig(['src/index.ts', 'src/process-worker.ts', 'src/storage-postgres.thread.ts', 'src/cli.ts']) as Options), shims: true });
