import { afterEach, describe, expect, test } from 'vitest'
import type { BoardOwner, EventRecord, EventStore } from '../events/types.ts'
import { silentLogger } from '../logger.ts'
import type { TeamEntries } from './jobs.ts'
import type { SheetFiles, TeamSource } from './sheetFiles.ts'
import { SheetsAhead } from './sheetsAhead.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What SheetsAhead asks of SheetFiles, recorded; each team's files take `jobMs` to make. */
function recordingFiles(teams: string[], jobMs = 5) {
  const calls: string[] = []
  /** When each call was made (performance.now()). */
  const times: number[] = []
  const record = (call: string) => {
    calls.push(call)
    times.push(performance.now())
  }
  const entries = { json: { method: 8, crc: 0, size: 0, data: new Uint8Array() }, md: {}, pdf: {} } as TeamEntries
  const files = {
    sources: async (event: EventRecord) => teams.map((boardId) => ({ team: { id: `team-${boardId}`, boardId, eventId: event.id }, context: {} }) as unknown as TeamSource),
    localesOf: () => ['fr'],
    teamEntries: async (sources: TeamSource[]) => {
      record(`team ${sources.map((source) => source.team.boardId).join(',')}`)
      await sleep(jobMs)
      return sources.map(() => entries)
    },
    eventEntries: async (eventId: string) => {
      record(`event ${eventId}`)
      return { notesCsv: entries.json }
    },
  }
  return { files: files as unknown as SheetFiles, calls, times }
}

const store = {
  findBoardOwner: async (boardId: string): Promise<BoardOwner | undefined> =>
    boardId.startsWith('team') ? { eventId: 'ev', teamId: `t-${boardId}`, kind: 'team' } : boardId === 'plenary' ? { eventId: 'ev', teamId: null, kind: 'plenary' } : undefined,
  getEvent: async (eventId: string) => ({ id: eventId }) as EventRecord,
} as unknown as EventStore

let ahead: SheetsAhead | undefined
afterEach(async () => {
  await ahead?.close()
  ahead = undefined
})

describe('SheetsAhead', () => {
  test('makes every team’s files, then the event’s, once a team board stayed unchanged for the delay', async () => {
    const { files, calls, times } = recordingFiles(['team-a', 'team-b'])
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 300 })
    ahead.changed('team-a')
    await sleep(150)
    // Changed again before the delay: it starts over.
    const lastChange = performance.now()
    ahead.changed('team-a')
    while (!calls.includes('event ev')) await sleep(20)
    await ahead.idle()
    expect(calls).toEqual(['team team-a', 'team team-b', 'event ev'])
    expect(times[0]).toBeGreaterThanOrEqual(lastChange + 300)
  })

  test('leaves the event’s files for later while one of its boards is still changing', async () => {
    const { files, calls, times } = recordingFiles(['team-a', 'team-b'], 300)
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 1500 })
    ahead.changed('team-a')
    while (calls.length === 0) await sleep(5)
    // team-a's files are being made: team-b changes meanwhile.
    const bChangedAt = performance.now()
    ahead.changed('team-b')
    while (!calls.includes('event ev')) await sleep(20)
    await ahead.idle()
    // The event's files wait until team-b settled, after its team's files are looked at again.
    const event = calls.indexOf('event ev')
    expect(times[event]).toBeGreaterThanOrEqual(bChangedAt + 1500)
    expect(calls.slice(0, event)).toEqual(['team team-a', 'team team-b', 'team team-a', 'team team-b'])
  })

  test('ignores boards outside teams (the plenary board, unknown boards)', async () => {
    const { files, calls } = recordingFiles(['team-a'])
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 20 })
    ahead.changed('plenary')
    ahead.changed('someone-else')
    await sleep(1100)
    await ahead.idle()
    expect(calls).toEqual([])
  })

  test('waits while the event loop is busy, and makes the files once it is quiet', async () => {
    const { files, calls } = recordingFiles(['team-a'])
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 20, maxLoopUtilization: 0.5 })
    ahead.changed('team-a')
    // Busy: the loop is held 95 ms of every 100 for 2.5 s (still above half with slow timers).
    const busyUntil = Date.now() + 2500
    while (Date.now() < busyUntil) {
      const spin = Date.now() + 95
      while (Date.now() < spin) {}
      await sleep(5)
    }
    expect(calls).toEqual([])
    await sleep(2200)
    await ahead.idle()
    expect(calls).toEqual(['team team-a', 'event ev'])
  })
})
