#!/usr/bin/env node
// `npm run serve`: build the renderer when the build is missing or older than its sources, then
// start browser mode through the CLI (`blotter serve`), passing any arguments on.
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const builtIndex = 'out/renderer/index.html'

function newestChange(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

const stale =
  !existsSync(builtIndex) ||
  Math.max(newestChange('renderer'), newestChange('contract'), newestChange('core')) >
    statSync(builtIndex).mtimeMs
if (stale) {
  console.error('Building the renderer…')
  const build = spawnSync('npm', ['run', '--silent', 'build:renderer'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const server = spawn(process.execPath, ['scripts/blotter.mjs', 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
