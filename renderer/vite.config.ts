import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const rendererRoot = fileURLToPath(new URL('.', import.meta.url))

// The renderer's one build config: electron.vite.config.ts reuses it for the desktop app, and
// `npm run build:renderer` runs it alone for browser mode and the Playwright tests.
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
  },
})
