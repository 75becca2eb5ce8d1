/**
 * Preloaded (`--import`) into both server processes, identically. The benchmark holds the other
 * end of this process's stdin:
 * - when the benchmark dies, even by SIGKILL, the pipe closes and the server exits instead of
 *   lingering and skewing the next run;
 * - "reset" / "report" lines measure the event-loop delay over the window, so that a server that
 *   stalls can be told from a load generator that lags. It costs a 10 ms timer, in both servers alike.
 */
import { loopDelayMonitor, PROBE_PREFIX } from './loopDelay.ts'

const delay = loopDelayMonitor()

let buffered = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk: string) => {
  buffered += chunk
  for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
    const command = buffered.slice(0, end).trim()
    buffered = buffered.slice(end + 1)
    if (command === 'reset') delay.reset()
    if (command === 'report') process.stdout.write(`${PROBE_PREFIX}${JSON.stringify(delay.report())}\n`)
  }
})
process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
// Only the server's own handles decide when it may exit.
process.stdin.unref()
