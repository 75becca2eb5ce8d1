import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

// In development the Vite server proxies the API and the sync endpoint to the Fabrique server,
// so the browser talks to one origin, as in production.
const server = process.env.FABRIQUE_SERVER ?? 'http://127.0.0.1:8787'

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)
/** Text files worth compressing; fonts (woff2) and images are compressed already. */
const COMPRESSIBLE = /\.(js|css|svg|json|html)$/
const MIN_BYTES = 1024
/** Within 2 % of Brotli's best (11) for our scripts, in a third of its time (2 s instead of 6). */
const BROTLI_QUALITY = 10

/**
 * Writes a Brotli (`.br`) and a gzip (`.gz`) copy of each built text file, which the server sends
 * to browsers that accept them (2.3 MB of scripts become 0.56 MB), compressed once here instead of
 * on every request.
 */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'fabrique-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async writeBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name))
      await Promise.all(
        files.map(async (name) => {
          const file = path.join(outDir, name)
          const bytes = await fs.readFile(file)
          if (bytes.length < MIN_BYTES) return
          const quality = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }
          const [br, gz] = await Promise.all([brotli(bytes, quality), gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION })])
          await Promise.all([fs.writeFile(`${file}.br`, br), fs.writeFile(`${file}.gz`, gz)])
        }),
      )
    },
  }
}

/**
 * The board's early socket (src/board/earlySocket.boot.js): a classic script, emitted as a hashed
 * asset and loaded first thing in the page, so that it runs while the app's bundle is still
 * downloading and compiling. Vite bundles module scripts only, hence this plugin.
 */
function earlySocketBoot(): Plugin {
  const source = path.resolve(import.meta.dirname, 'src/board/earlySocket.boot.js')
  let fileName = ''
  let code = ''
  return {
    name: 'fabrique-early-socket-boot',
    apply: 'build',
    async buildStart() {
      code = await fs.readFile(source, 'utf8')
      fileName = `assets/boot-${createHash('sha256').update(code).digest('hex').slice(0, 10)}.js`
      this.addWatchFile(source)
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source: code })
    },
    transformIndexHtml() {
      return [{ tag: 'script', attrs: { src: `/${fileName}` }, injectTo: 'head-prepend' }]
    },
  }
}

export default defineConfig({
  plugins: [react(), earlySocketBoot(), precompress()],
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
