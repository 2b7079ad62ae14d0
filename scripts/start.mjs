#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is (or can be) installed, otherwise browser
// mode through scripts/serve.mjs with the same arguments. Exit codes and signals pass through.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const electronDir = join(root, 'node_modules/electron')
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000

/**
 * Electron's executable, or null when it is not installed. Mirrors node_modules/electron's
 * index.js and install.js, except that `require('electron')` would start a download when the
 * binary is missing; this only looks.
 */
function installedElectron() {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8')
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
    if (override) return existsSync(join(override, relative)) ? join(override, relative) : null
    const wanted = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
    const installed = readFileSync(join(electronDir, 'dist/version'), 'utf8').trim()
    const executable = join(electronDir, 'dist', relative)
    return installed.replace(/^v/, '') === wanted && existsSync(executable) ? executable : null
  } catch {
    return null
  }
}

/** One quiet attempt at Electron's own installer (the binary is not fetched at npm install). */
function tryDownloadElectron() {
  return new Promise((resolve) => {
    const notice = setTimeout(() => console.error('Downloading Electron…'), 3000)
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: 'ignore',
      timeout: DOWNLOAD_TIMEOUT_MS,
    })
    const done = (ok) => {
      clearTimeout(notice)
      resolve(ok)
    }
    child.on('error', () => done(false))
    child.on('exit', (code) => done(code === 0))
  })
}

function newestChange(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))))
}

function buildIsStale() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map(
    (path) => join(root, path),
  )
  if (!outputs.every((path) => existsSync(path))) return true
  const sources = ['electron', 'renderer', 'contract', 'core', 'db', 'services']
    .concat(['electron.vite.config.ts', 'package.json'])
    .map((path) => newestChange(join(root, path)))
  return Math.max(...sources) > Math.min(...outputs.map((path) => statSync(path).mtimeMs))
}

function runOrExit(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** Runs the child in the foreground: signals go to it, and its exit becomes ours. */
function handOver(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env })
  const forward = (signal) => child.kill(signal)
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, forward)
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward)
    // Die of the same signal, so whoever started us sees what happened to the app.
    if (signal) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}

let electron = installedElectron()
if (!electron && (await tryDownloadElectron())) electron = installedElectron()

if (!electron) {
  console.error(
    'Electron is not installed here (its binary could not be downloaded); ' +
      'starting Blotter in browser mode instead.',
  )
  handOver(process.execPath, [join(root, 'scripts/serve.mjs'), ...args])
} else {
  if (buildIsStale()) {
    runOrExit(process.execPath, [
      join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
    ])
  }
  runOrExit(process.execPath, [join(root, 'scripts/electron-native.mjs')])
  // ELECTRON_RUN_AS_NODE in the caller's environment would start a bare Node, not the app.
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  handOver(electron, ['.', ...args], env)
}
