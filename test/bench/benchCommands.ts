/**
 * Commands the benchmark sends to a server process over its stdin (see serverProbe.ts), answered
 * on stdout. The peer servers register what they can do (count their rooms, apply a template as a
 * server-side script); Fabrique is driven through its HTTP API instead and registers nothing.
 *
 *   benchmark → server:  cmd <id> <name> <argument>
 *   server → benchmark:  bench-reply <id> <JSON result>   (or {"error": "..."})
 */

export const COMMAND_PREFIX = 'cmd '
export const REPLY_PREFIX = 'bench-reply '

type Handler = (argument: string) => unknown

/** On globalThis: the probe (loaded with --import) and the server's entry share it whatever module instance each got. */
const shared = globalThis as { __benchCommands?: Map<string, Handler> }
shared.__benchCommands ??= new Map()
const registry: Map<string, Handler> = shared.__benchCommands

export function onCommand(name: string, handler: Handler): void {
  registry.set(name, handler)
}

/** Runs one `cmd` line and prints the reply; unknown commands answer with an error, never throw. */
export function dispatchCommand(line: string): void {
  const [id = '', name = '', ...rest] = line.slice(COMMAND_PREFIX.length).split(' ')
  const reply = (result: unknown) => process.stdout.write(`${REPLY_PREFIX}${id} ${JSON.stringify(result ?? null)}\n`)
  const handler = registry.get(name)
  if (!handler) {
    reply({ error: `unknown command ${name}` })
    return
  }
  Promise.resolve()
    .then(() => handler(rest.join(' ')))
    .then(reply, (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }))
}
