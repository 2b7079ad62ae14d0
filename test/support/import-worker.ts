import { mkdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildSync } from 'esbuild'

/**
 * services/import-worker.ts bundled the way scripts/blotter.mjs bundles it for browser mode, into
 * out/test-worker/ (inside the project, so its packages resolve from node_modules). A worker
 * thread cannot run TypeScript sources, so tests that run real import jobs need the bundle.
 */
export function bundledImportWorker(): URL {
  const outdir = fileURLToPath(new URL('../../out/test-worker/', import.meta.url))
  mkdirSync(outdir, { recursive: true })
  buildSync({
    entryPoints: {
      'import-worker': fileURLToPath(new URL('../../services/import-worker.ts', import.meta.url)),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  })
  return pathToFileURL(`${outdir}import-worker.mjs`)
}
