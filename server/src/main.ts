import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Config, ConfigError, readConfig } from './config.ts'
import { createLogger } from './logger.ts'
import { createServer } from './server.ts'

const here = path.dirname(fileURLToPath(import.meta.url))

function configOrExit(): Config {
  try {
    return readConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    process.stderr.write(`Configuration error: ${error.message}\n`)
    process.exit(2)
  }
}

async function main(): Promise<void> {
  const config = configOrExit()
  // Unset: serve the client built next to the server; set but empty: serve no client.
  if (process.env.CLIENT_DIR === undefined) config.clientDir = path.resolve(here, '../../client/dist')
  const logger = createLogger(config.logLevel)
  const server = await createServer(config, { logger })
  // On stdout whatever LOG_LEVEL says: people and scripts wait for this line.
  process.stdout.write(`Fabrique is listening on ${server.url}\n`)
  logger.info('started', { url: server.url, storage: config.databaseUrl ? 'postgresql' : config.dataDir, relay: config.redisUrl ? 'redis' : 'none' })
  void server.sync.rooms.reclaimStartUpMemory()
  if (!config.tldrawLicenseKey) {
    logger.info('No TLDRAW_LICENSE_KEY: fine on localhost; a production deployment needs one (see README).')
  }

  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal })
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('error while shutting down', { error: String(error) })
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  process.stderr.write(`Fabrique could not start: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
