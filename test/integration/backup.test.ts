import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { connectClient } from '../support/clients.ts'
import { startServer, startServerProcess, storedDoc, tempDir } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const run = promisify(execFile)
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/src/cli.ts')
const fabrique = (args: string[], dataDir: string) => run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATA_DIR: dataDir } })

describe('backup and restore of the SQLite database', () => {
  it('backs up a running server and restores it elsewhere with every board', async () => {
    const dataDir = tempDir()
    const proc = await startServerProcess(dataDir)
    const url = `${proc.url.replace('http', 'ws')}/sync`
    const writer = connectClient(url, 'board-backup')
    await writer.synced
    for (let i = 0; i < 200; i++) writer.doc.getMap('m').set(`k${i}`, i)
    const observer = connectClient(url, 'board-backup')
    await waitFor(() => observer.doc.getMap('m').size === 200, 'the edits stored')

    const backup = path.join(tempDir(), 'fabrique-backup.sqlite')
    const { stderr } = await fabrique(['backup', backup], dataDir)
    expect(stderr).toMatch(/backed up/)
    writer.destroy()
    observer.destroy()
    proc.child.kill('SIGTERM')
    await proc.exited

    const elsewhere = tempDir()
    await fabrique(['restore', backup], elsewhere)
    const restored = await startServer({ dataDir: elsewhere })
    try {
      expect((await storedDoc(restored, 'board-backup')).getMap('m').size).toBe(200)
    } finally {
      await restored.close()
    }
  })

  it('refuses to restore over a running server, and a file that is not a database', async () => {
    const dataDir = tempDir()
    const proc = await startServerProcess(dataDir)
    const garbage = path.join(tempDir(), 'not-a-db.sqlite')
    fs.writeFileSync(garbage, 'hello')
    await expect(fabrique(['restore', garbage], dataDir)).rejects.toMatchObject({ stderr: expect.stringMatching(/server is running/) })
    proc.child.kill('SIGTERM')
    await proc.exited
    await expect(fabrique(['restore', garbage], dataDir)).rejects.toMatchObject({ stderr: expect.stringMatching(/not a database|not a sound/) })
  })
})
