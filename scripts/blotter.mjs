#!/usr/bin/env node
// `npm run blotter`: run the CLI from a bundle (0.4 s to start instead of 2 s through tsx),
// rebuilding the bundle first when any of its sources changed.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildSync } from 'esbuild'

const bundle = 'out/cli/main.mjs'
const worker = 'out/cli/import-worker.mjs'
const sources = ['cli', 'contract', 'core', 'db', 'importers', 'services', 'server']

function newestChange(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

if (
  !existsSync(bundle) ||
  !existsSync(worker) ||
  Math.max(...sources.map(newestChange)) > statSync(bundle).mtimeMs
) {
  buildSync({
    // The import worker is its own entry: browser mode runs import jobs in it (services/import-jobs.ts).
    entryPoints: { main: 'cli/main.ts', 'import-worker': 'services/import-worker.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: 'out/cli',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  })
}
await import(pathToFileURL(bundle).href)
