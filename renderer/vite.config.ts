import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const rendererRoot = fileURLToPath(new URL('.', import.meta.url))

/**
 * The dev server injects CSS as <style> tags and React's refresh preamble as an inline script,
 * which index.html's CSP blocks. In dev only, allow them by a per-run nonce; builds keep the
 * strict policy.
 */
function devCspNonce(): Plugin {
  const nonce = randomBytes(16).toString('base64')
  return {
    name: 'blotter-dev-csp-nonce',
    apply: 'serve',
    config: () => ({ html: { cspNonce: nonce } }),
    transformIndexHtml: (html) =>
      html
        .replace("style-src 'self'", `style-src 'self' 'nonce-${nonce}'`)
        .replace("script-src 'self'", `script-src 'self' 'nonce-${nonce}'`),
  }
}

// The renderer's one build config: electron.vite.config.ts reuses it for the desktop app, and
// `npm run build:renderer` runs it alone for browser mode and the Playwright tests.
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), devCspNonce()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // electron-vite turns minification off by default; the renderer is the same code either way.
    minify: true,
  },
})
