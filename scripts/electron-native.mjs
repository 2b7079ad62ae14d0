#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI beside the Node build, never over it: the tests, the
// CLI and browser mode keep using node_modules/better-sqlite3/build
// (docs/decisions/0005-electron-native-abi.md).
//
//   .native/electron-<v>/node_modules/better-sqlite3/build/Release/better_sqlite3.node  (npm start)
//   .native/package/better_sqlite3.node  (shipped by electron-builder.yml as resources/native)
//
// electron/main/native-binding.ts expects these paths. Idempotent: a verified build for the same
// Electron and better-sqlite3 versions is reused. It needs Electron's headers (a download); when
// the build fails it prints one line saying why (the compiler's output goes to a log file) and
// exits non-zero.
import { spawnSync } from 'node:child_process'
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))

const electronVersion = readJson(join(root, 'node_modules/electron/package.json')).version
const electronAbi = readFileSync(join(root, 'node_modules/electron/abi_version'), 'utf8').trim()
const sqliteSource = join(root, 'node_modules/better-sqlite3')
const sqliteVersion = readJson(join(sqliteSource, 'package.json')).version
const stamp = JSON.stringify({
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  platform: process.platform,
  arch: process.arch,
})

const nativeDir = join(root, '.native')
const target = join(nativeDir, `electron-${electronVersion}`)
const packaged = join(nativeDir, 'package')
const logFile = join(nativeDir, 'electron-native.log')
const addonIn = (dir) => join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')

// npm hands its config to child processes as npm_config_*; a user-level `nodedir` (or target,
// runtime, disturl) makes node-gyp compile against Node's headers and silently produce a Node
// build under an Electron name. This script decides those itself.
for (const name of Object.keys(process.env)) {
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|devdir)$/i.test(name)) {
    delete process.env[name]
  }
}

/**
 * Why `addon` is not an Electron build, or null when it is. Node refuses an Electron build and
 * names its ABI; an addon that Node loads was built against Node's headers.
 */
function abiProblem(addon) {
  const probe = spawnSync(
    process.execPath,
    ['-e', 'process.dlopen({ exports: {} }, process.argv[1])', addon],
    { encoding: 'utf8' },
  )
  if (probe.status === 0) return "it was built against Node's headers, not Electron's"
  if (!probe.stderr.includes(`NODE_MODULE_VERSION ${electronAbi}`)) {
    return `it does not carry Electron's ABI (${electronAbi})`
  }
  return null
}

function isBuilt() {
  try {
    return (
      readFileSync(join(target, 'built.json'), 'utf8') === stamp &&
      existsSync(addonIn(target)) &&
      abiProblem(addonIn(target)) === null
    )
  } catch {
    return false
  }
}

/** The addon electron-builder ships, refreshed whenever it differs from the current build. */
function publishForPackaging() {
  const current = join(packaged, 'built.json')
  if (existsSync(current) && readFileSync(current, 'utf8') === stamp) return
  mkdirSync(packaged, { recursive: true })
  copyFileSync(addonIn(target), join(packaged, 'better_sqlite3.node'))
  writeFileSync(current, stamp)
}

/** The build itself, run in a child process whose output goes to the log file. */
async function build() {
  // Built in a scratch folder and renamed at the end, so an interrupted build never looks finished.
  const scratch = `${target}.partial-${process.pid}`
  try {
    rmSync(scratch, { recursive: true, force: true })
    mkdirSync(join(scratch, 'node_modules'), { recursive: true })
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({
        name: 'blotter-electron-native',
        private: true,
        dependencies: { 'better-sqlite3': sqliteVersion },
      }),
    )
    // Sources only: a copied Node build would otherwise pass for a finished Electron one.
    const buildDir = join(sqliteSource, 'build')
    cpSync(sqliteSource, join(scratch, 'node_modules/better-sqlite3'), {
      recursive: true,
      filter: (source) => source !== buildDir && !source.startsWith(buildDir + sep),
    })

    const { rebuild } = await import('@electron/rebuild')
    // projectRootPath stops @electron/rebuild's module search at the scratch folder, so it can
    // never reach (and rebuild in place) the project's own node_modules/better-sqlite3.
    await rebuild({
      buildPath: scratch,
      projectRootPath: scratch,
      electronVersion,
      onlyModules: ['better-sqlite3'],
      force: true,
    })
    if (!existsSync(addonIn(scratch))) throw new Error('the build produced no better_sqlite3.node')
    const problem = abiProblem(addonIn(scratch))
    if (problem) throw new Error(`the build is unusable: ${problem}`)

    writeFileSync(join(scratch, 'built.json'), stamp)
    rmSync(target, { recursive: true, force: true })
    renameSync(scratch, target)
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true })
    const firstLine = String(error?.message ?? error)
      .split('\n')
      .find((line) => line.trim())
    console.error(`REASON: ${firstLine?.trim() ?? 'unknown error'}`)
    process.exit(1)
  }
}

if (process.argv[2] === '--build') {
  await build()
} else {
  if (!isBuilt()) {
    console.error(
      `Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} ` +
        `(once per version; a few minutes)…`,
    )
    const nodeAddon = join(sqliteSource, 'build/Release/better_sqlite3.node')
    const nodeAddonBefore = existsSync(nodeAddon) ? statSync(nodeAddon).mtimeMs : null
    mkdirSync(nativeDir, { recursive: true })
    const log = openSync(logFile, 'w')
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--build'], {
      cwd: root,
      stdio: ['ignore', log, log],
    })
    closeSync(log)
    const nodeAddonAfter = existsSync(nodeAddon) ? statSync(nodeAddon).mtimeMs : null
    if (nodeAddonAfter !== nodeAddonBefore) {
      console.error(`Warning: ${nodeAddon} changed; run \`npm rebuild better-sqlite3\`.`)
    }
    if (child.status !== 0) {
      const output = readFileSync(logFile, 'utf8')
      const offline = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(output)
      const reason = offline
        ? "Electron's headers could not be downloaded from electronjs.org (no network)"
        : (output
            .split('\n')
            .findLast((line) => line.startsWith('REASON: '))
            ?.slice('REASON: '.length) ??
          `the build process ended with ${child.signal ?? child.status}`)
      console.error(
        `Could not build better-sqlite3 for Electron ${electronVersion}: ${reason} (log: ${logFile})`,
      )
      process.exit(1)
    }
  }
  publishForPackaging()
}
