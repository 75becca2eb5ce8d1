/**
 * Preloaded (`--import`) into every server process, identically. The benchmark holds the other
 * end of this process's stdin:
 * - when the benchmark dies, even by SIGKILL, the pipe closes and the server exits instead of
 *   lingering and skewing the next run;
 * - "delay <start> <end>" lines report the event-loop delay between two epoch-ms times, so that a
 *   server that stalls can be told from a load generator that lags. It costs a 10 ms timer, in every
 *   server alike;
 * - "pause" and "resume" stop and restart that timer: its ticks cost ~1.7 % of a core, which would
 *   count as the server's own in an idle window (S8);
 * - "cmd …" lines run what the server registered in benchCommands.ts (the peers' server-side scripts).
 */
import { isMainThread } from 'node:worker_threads'
import { COMMAND_PREFIX, dispatchCommand } from './benchCommands.ts'
import { loopDelayRecorder, PROBE_PREFIX } from './loopDelay.ts'

// Worker threads inherit --import: the probe is the main thread's (the export thread has no stdin of the benchmark's).
if (isMainThread) startProbe()

function startProbe(): void {
  const delay = loopDelayRecorder()

  let buffered = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const command = buffered.slice(0, end).trim()
      buffered = buffered.slice(end + 1)
      if (command.startsWith('delay ')) {
        const [start, end] = command.slice('delay '.length).split(' ').map(Number)
        process.stdout.write(`${PROBE_PREFIX}${JSON.stringify(delay.between(start as number, end as number))}\n`)
      }
      if (command === 'pause') delay.pause()
      if (command === 'resume') delay.resume()
      if (command.startsWith(COMMAND_PREFIX)) dispatchCommand(command)
    }
  })
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
  // Only the server's own handles decide when it may exit.
  process.stdin.unref()
}
