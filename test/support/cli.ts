import { spawnSync } from 'node:child_process'

/** Runs the real CLI in a child process, as a trader's script would, on no default journal. */
export function blotter(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['scripts/blotter.mjs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, BLOTTER_DB: '', ...env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
