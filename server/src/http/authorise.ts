import type { Context } from 'hono'
import { canDo, type EventAction } from '../auth/policy.ts'
import type { Capability, TokenSigner } from '../auth/tokens.ts'
import type { EventStore, Member } from '../events/types.ts'
import { apiError } from './errors.ts'

export type Auth = { capability: Capability; member: Member | undefined }

/**
 * zod-openapi types a handler's return from the JSON schemas its route declares; responses built
 * elsewhere (JSON errors, SVG, 204) are plain Responses, declared in the route all the same.
 */
export const early = (response: Response) => response as never

/** Reads the bearer token and checks the action; a Response (401/403) when refused. */
export function createAuthoriser(store: EventStore, signer: TokenSigner) {
  return async function authorise(c: Context, eventId: string, action: EventAction): Promise<Auth | Response> {
    const header = c.req.header('authorization') ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!token) return early(apiError(c, 401, 'token_missing', 'Lien d’accès manquant.', 'Missing access link.'))
    const check = signer.verify(token)
    if (!check.ok) {
      return check.reason === 'expired'
        ? apiError(c, 401, 'token_expired', 'Votre lien d’accès a expiré. Demandez-en un nouveau.', 'Your access link has expired. Ask for a new one.')
        : apiError(c, 401, 'token_invalid', 'Lien d’accès invalide.', 'Invalid access link.')
    }
    const { capability } = check
    const member = capability.memberId ? await store.getMember(capability.memberId) : undefined
    if (capability.role === 'participant' && !member) {
      return early(apiError(c, 403, 'member_removed', 'Vous ne faites plus partie de cet événement.', 'You are no longer part of this event.'))
    }
    if (!canDo(capability, action, eventId, member)) {
      return early(apiError(c, 403, 'forbidden', 'Action non autorisée pour votre rôle.', 'Your role does not allow this action.'))
    }
    return { capability, member }
  }
}
