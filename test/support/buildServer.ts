/**
 * The integration tests' global setup: builds the server (`server/dist`, as `pnpm build` does), so
 * that the tests which start it as a process run what `pnpm start` runs, from the sources of now.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export default function setup(): void {
  const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server')
  execFileSync(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: serverDir, stdio: ['ignore', 'ignore', 'inherit'] })
}
