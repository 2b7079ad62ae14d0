import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import renderer from './renderer/vite.config'

const root = fileURLToPath(new URL('.', import.meta.url))

// One build for every host: out/main and out/preload for Electron; out/renderer (from
// renderer/vite.config.ts) for both the Electron window and browser mode.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          // Import jobs run here, off the main process's thread (services/import-jobs.ts).
          'import-worker': resolve(root, 'services/import-worker.ts'),
        },
      },
    },
  },
  // The preload runs sandboxed: it must be CommonJS (ESM preloads cannot be sandboxed) and may
  // require only 'electron'. So nothing is externalised: a dependency it ever imports gets
  // bundled instead of failing at runtime (docs/decisions/0006-electron-security.md).
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...renderer,
    build: {
      ...renderer.build,
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
})
