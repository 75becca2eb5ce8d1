/**
 * Builds the server into plain JavaScript (`server/dist`): `main.js`, the entry `pnpm start` runs,
 * and `exportWorker.js`, the export thread's entry. The workspace packages and the npm packages are
 * bundled in, so the server starts with `node` alone: run through tsx, its loader (a thread of its
 * own for ES modules in Node 20) and the transformed sources held ~40 MB more of memory from the
 * start (an idle server: 140 MB against ~95 MB).
 *
 * Left out of the bundle, and loaded from node_modules at run time (each is a dependency of the
 * server, so `server/dist` finds it): native addons, and pdfkit, which reads its fonts' metrics
 * from files beside its own code. Optional native helpers of pg and ws are left out too: when they
 * are not installed, those packages go on without them.
 *
 *   tsx build.ts          (pnpm --filter @fabrique/server build; `pnpm build` and `pnpm start` run it)
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const here = path.dirname(fileURLToPath(import.meta.url))
const outdir = path.join(here, 'dist')

const EXTERNAL = ['better-sqlite3', 'pdfkit', 'pg-native', 'bufferutil', 'utf-8-validate']

fs.rmSync(outdir, { recursive: true, force: true })
const started = performance.now()
await esbuild.build({
  entryPoints: { main: path.join(here, 'src/main.ts'), exportWorker: path.join(here, 'src/exportThread/worker.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // One copy of a module both entries use is not shared between threads anyway; one file per entry
  // keeps the worker's start to one read.
  splitting: false,
  external: EXTERNAL,
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __fabriqueCreateRequire } from 'node:module'; const require = __fabriqueCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
})
const size = (name: string) => `${(fs.statSync(path.join(outdir, name)).size / 1024).toFixed(0)} KB`
process.stdout.write(`server built in ${(performance.now() - started).toFixed(0)} ms: dist/main.js ${size('main.js')}, dist/exportWorker.js ${size('exportWorker.js')}\n`)
