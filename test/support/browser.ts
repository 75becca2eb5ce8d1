import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that keep Debian's Chromium from calling home (the machines have no network). */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Headless Chromium; fails with what to install rather than skipping. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM}. Install it with "apt-get install -y chromium" (Debian), or set CHROMIUM_PATH.`,
    )
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true })
}

export const clientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist')

/** The built client; browser tests need `pnpm build` first (`pnpm test` does it). */
export function requireBuiltClient(): string {
  if (!fs.existsSync(path.join(clientDist, 'index.html'))) {
    throw new Error(`The client is not built (${clientDist}/index.html missing). Run "pnpm build" first; "pnpm test" does it for you.`)
  }
  return clientDist
}
