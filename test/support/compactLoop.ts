// Child process for the durability test: appends updates to one board and compacts it over and
// over, printing "ack N" once update N is durable. The test kills it at random moments.
import * as Y from 'yjs'
import { SqliteStorage } from '../../server/src/storage/sqlite.ts'

const [file, startArg] = process.argv.slice(2)
const storage = new SqliteStorage({ file: file as string })
const doc = new Y.Doc()
let i = Number(startArg ?? 0)

async function loop(): Promise<void> {
  for (;;) {
    const before = Y.encodeStateVector(doc)
    doc.getMap('m').set(`k${i}`, 'x'.repeat(200))
    await storage.append('board-compact-kill', [Y.encodeStateAsUpdate(doc, before)])
    process.stdout.write(`ack ${i}\n`)
    i++
    // Compacting after nearly every append: most kills land inside a compaction.
    if (i % 2 === 0) await storage.compact('board-compact-kill')
  }
}
void loop()
