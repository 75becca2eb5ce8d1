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
    eventEntries: async (eventId: string, sources: readonly TeamSource[], made: readonly TeamEntries[]) => {
      // The event's files are of every team: one sheet per source, in order.
      record(made.length === sources.length ? `event ${eventId}` : `event ${eventId} of ${made.length} sheets for ${sources.length} teams`)
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
    // team-b is left while it changes; the event's files wait until it settled.
    const event = calls.indexOf('event ev')
    expect(times[event]).toBeGreaterThanOrEqual(bChangedAt + 1500)
    expect(calls.slice(0, event)).toEqual(['team team-a', 'team team-a', 'team team-b'])
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

  test('holds the sheets back while the server says it is busy (a push), then makes them', async () => {
    const { files, calls } = recordingFiles(['team-a', 'team-b'], 50)
    let pushing = true
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 20, busy: () => pushing })
    ahead.changed('team-a')
    await sleep(1500)
    expect(calls).toEqual([])
    expect(ahead.pending).toBe(1)
    pushing = false
    while (!calls.includes('event ev')) await sleep(20)
    await ahead.idle()
    expect(calls).toEqual(['team team-a', 'team team-b', 'event ev'])
  })

  test('counts what is left to make and the events made', async () => {
    const { files, calls } = recordingFiles(['team-a', 'team-b'], 100)
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 300 })
    expect([ahead.pending, ahead.made]).toEqual([0, 0])
    ahead.changed('team-a')
    ahead.changed('team-b')
    expect(ahead.pending).toBe(2)
    // Pending from the change until the event's files are made, never 0 in between.
    const seen: number[] = []
    while (!calls.includes('event ev')) {
      seen.push(ahead.pending)
      await sleep(5)
    }
    await ahead.idle()
    expect(seen.every((pending) => pending > 0)).toBe(true)
    expect([ahead.pending, ahead.made]).toEqual([0, 1])
    // A change while the team's files are made: the event's files wait until it settles, and the
    // event is counted once, when they are made. (The first round may have made team-a twice: the
    // two changes can fall in two milliseconds, and the sweep then finds team-b not settled yet.)
    const firstRound = calls.length
    const later = () => calls.slice(firstRound)
    ahead.changed('team-a')
    while (!later().includes('team team-a')) await sleep(5)
    ahead.changed('team-b')
    while (!later().includes('event ev')) {
      expect(ahead.pending).toBeGreaterThan(0)
      await sleep(20)
    }
    await ahead.idle()
    expect([ahead.pending, ahead.made]).toEqual([0, 2])
    expect(later()).toEqual(['team team-a', 'team team-a', 'team team-b', 'event ev'])
  })

  test('goes through teams whose files are kept without waiting for the loop between them', async () => {
    // Kept files come back at once: the loop's utilization is then measured over the last half
    // second, not over the turn in progress (always busy: each team waited a second).
    const teams = Array.from({ length: 10 }, (_, i) => `team-${i}`)
    const { files, calls, times } = recordingFiles(teams, 0)
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 20, maxLoopUtilization: 0.5 })
    // A server serving people: the loop busy 3 ms of every 10.
    let serving = true
    const serve = async () => {
      while (serving) {
        const spin = performance.now() + 3
        while (performance.now() < spin) {}
        await sleep(7)
      }
    }
    const served = serve()
    await sleep(600)
    ahead.changed('team-0')
    while (!calls.includes('event ev')) await sleep(20)
    await ahead.idle()
    serving = false
    await served
    expect(calls).toHaveLength(11)
    expect((times[10] as number) - (times[0] as number)).toBeLessThan(1000)
  })

  test('makes the event’s files of every team, a team left while it changed included', async () => {
    const { files, calls } = recordingFiles(['team-a', 'team-b', 'team-c'], 300)
    ahead = new SheetsAhead({ files, store, logger: silentLogger, delayMs: 200 })
    ahead.changed('team-b')
    await sleep(150)
    // Still changing when the event is made (until team-b's files are being made, whatever the
    // machine's timers do): left, and settled while team-b's and team-c's are made.
    while (!calls.includes('team team-b')) {
      ahead.changed('team-a')
      await sleep(20)
    }
    while (!calls.some((call) => call.startsWith('event'))) await sleep(20)
    await ahead.idle()
    expect(calls).toEqual(['team team-b', 'team team-c', 'team team-a', 'team team-b', 'team team-c', 'event ev'])
  })
})
