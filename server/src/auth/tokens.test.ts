import { describe, expect, it } from 'vitest'
import { TokenSigner } from './tokens.ts'

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600

describe('TokenSigner', () => {
  it('round-trips a capability', () => {
    const signer = new TokenSigner('secret')
    const token = signer.sign({ role: 'participant', eventId: 'evt-1', memberId: 'm-1', exp: inAnHour() })
    expect(signer.verify(token)).toMatchObject({ ok: true, capability: { role: 'participant', eventId: 'evt-1', memberId: 'm-1' } })
  })

  it('refuses a token signed with another secret', () => {
    const token = new TokenSigner('other').sign({ role: 'organiser', eventId: 'evt-1', exp: inAnHour() })
    expect(new TokenSigner('secret').verify(token)).toEqual({ ok: false, reason: 'bad-signature' })
  })

  it('refuses a payload changed after signing', () => {
    const signer = new TokenSigner('secret')
    const [, mac] = signer.sign({ role: 'jury', eventId: 'evt-1', exp: inAnHour() }).split('.')
    const forged = Buffer.from(JSON.stringify({ role: 'organiser', eventId: 'evt-1', exp: inAnHour() })).toString('base64url')
    expect(signer.verify(`${forged}.${mac}`)).toEqual({ ok: false, reason: 'bad-signature' })
  })

  it('refuses an expired token', () => {
    const signer = new TokenSigner('secret')
    const token = signer.sign({ role: 'jury', eventId: 'evt-1', exp: Math.floor(Date.now() / 1000) - 1 })
    expect(signer.verify(token)).toEqual({ ok: false, reason: 'expired' })
  })

  it('refuses garbage', () => {
    const signer = new TokenSigner('secret')
    for (const garbage of ['', '.', 'abc', 'a.b', 'x'.repeat(5000)]) expect(signer.verify(garbage).ok).toBe(false)
  })
})
