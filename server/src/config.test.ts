import { describe, expect, it } from 'vitest'
import { ConfigError, defaultConfig, readConfig } from './config.ts'

describe('readConfig', () => {
  it('uses the defaults for an empty environment', () => {
    const config = readConfig({})
    expect(config.port).toBe(8787)
    expect(config.limits).toEqual(defaultConfig.limits)
    expect(config.dataDir).toMatch(/data$/)
  })

  it('reads numbers and choices', () => {
    const config = readConfig({ PORT: '9000', MAX_MESSAGE_BYTES: '2048', SQLITE_SYNCHRONOUS: 'full', TLDRAW_LICENSE_KEY: 'key' })
    expect(config.port).toBe(9000)
    expect(config.limits.maxMessageBytes).toBe(2048)
    expect(config.sync.sqliteSynchronous).toBe('full')
    expect(config.tldrawLicenseKey).toBe('key')
  })

  it('refuses values it cannot use, naming the variable', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT must be a whole number >= 0, got "eighty"'))
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/)
    expect(() => readConfig({ MAX_MESSAGE_BYTES: '10' })).toThrow(/MAX_MESSAGE_BYTES/)
  })
})
