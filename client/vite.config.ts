import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// In development the Vite server proxies the API and the sync endpoint to the Fabrique server,
// so the browser talks to one origin, as in production.
const server = process.env.FABRIQUE_SERVER ?? 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': server,
      '/sync': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
  build: {
    // Never inline assets as data: URLs: tldraw fetches its translations, and the Content-Security-Policy
    // (connect-src 'self') rightly refuses data: URLs.
    assetsInlineLimit: 0,
    // tldraw alone is ~2 MB minified; the warning would fire on every build.
    chunkSizeWarningLimit: 4000,
  },
})
