/**
 * WebSocket close codes used by the sync endpoint.
 *
 * y-websocket 3.1 stops reconnecting when the server closes with a code in 4400-4499,
 * so every "do not retry, something is wrong with you" reason lives in that range.
 * Codes in 4500-4599 mean "the server had a problem, reconnecting is fine".
 */
export const CloseCode = {
  /** A frame that is not a valid y-websocket message, or an update Yjs cannot apply. */
  MalformedMessage: 4400,
  /** Missing, badly signed or expired token. */
  BadToken: 4401,
  /** The token is valid but does not allow this board. */
  Forbidden: 4403,
  /** The board id does not match the board id pattern, or the board does not exist. */
  UnknownBoard: 4404,
  /** The client speaks another protocol or schema version: reload the page. */
  VersionMismatch: 4409,
  /** A message larger than the configured limit. */
  MessageTooLarge: 4413,
  /** A readable update that would put content a board cannot hold (or other clients cannot read) into it. */
  InvalidUpdate: 4422,
  /** Too many connections from one address or to one event. */
  TooManyConnections: 4429,
  /** The board reached its size limit; it takes no more changes. */
  BoardFull: 4430,
  /** The server is shutting down; reconnect (possibly to another instance). */
  ServerShuttingDown: 4503,
  /** Storage failed; the room was dropped so that clients resend their state on reconnect. */
  StorageFailure: 4504,
  /** The client sent faster than the configured rate: it reconnects after a pause. */
  RateLimited: 4529,
  /** No pong within the heartbeat interval. */
  DeadConnection: 4508,
  /** The client did not read what the server sent fast enough; it reconnects and resyncs. */
  SlowConsumer: 4509,
} as const

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

const reasons: Record<CloseCode, { fr: string; en: string }> = {
  [CloseCode.MalformedMessage]: {
    fr: 'Message illisible reçu de votre navigateur. Rechargez la page.',
    en: 'Your browser sent an unreadable message. Reload the page.',
  },
  [CloseCode.BadToken]: {
    fr: "Votre lien d'accès n'est pas valide ou a expiré. Demandez un nouveau lien.",
    en: 'Your access link is invalid or has expired. Ask for a new link.',
  },
  [CloseCode.Forbidden]: {
    fr: "Vous n'avez pas accès à ce tableau.",
    en: 'You do not have access to this board.',
  },
  [CloseCode.UnknownBoard]: {
    fr: "Ce tableau n'existe pas. Vérifiez l'adresse.",
    en: 'This board does not exist. Check the address.',
  },
  [CloseCode.VersionMismatch]: {
    fr: 'Fabrique a été mis à jour. Rechargez la page.',
    en: 'Fabrique has been updated. Reload the page.',
  },
  [CloseCode.MessageTooLarge]: {
    fr: 'Modification trop volumineuse, refusée par le serveur.',
    en: 'This change is too large; the server refused it.',
  },
  [CloseCode.InvalidUpdate]: {
    fr: 'Le serveur a refusé une modification que ce tableau ne peut pas contenir. Rechargez la page ; si cela se reproduit, prévenez l’équipe d’animation.',
    en: 'The server refused a change this board cannot hold. Reload the page; if it happens again, tell the facilitators.',
  },
  [CloseCode.TooManyConnections]: {
    fr: 'Trop de connexions depuis votre réseau ou vers cet événement. Fermez des onglets ou réessayez plus tard.',
    en: 'Too many connections from your network or to this event. Close some tabs or try again later.',
  },
  [CloseCode.BoardFull]: {
    fr: 'Ce tableau a atteint sa taille maximale. Demandez à l’animateur de faire de la place (supprimer des images ou des éléments).',
    en: 'This board reached its maximum size. Ask the facilitator to make room (remove images or shapes).',
  },
  [CloseCode.RateLimited]: {
    fr: 'Trop de messages envoyés trop vite. Reconnexion dans un instant.',
    en: 'Too many messages too fast. Reconnecting in a moment.',
  },
  [CloseCode.ServerShuttingDown]: {
    fr: 'Le serveur redémarre. Reconnexion…',
    en: 'The server is restarting. Reconnecting…',
  },
  [CloseCode.StorageFailure]: {
    fr: "Le serveur n'a pas pu enregistrer. Reconnexion…",
    en: 'The server could not save. Reconnecting…',
  },
  [CloseCode.DeadConnection]: {
    fr: 'Connexion perdue. Reconnexion…',
    en: 'Connection lost. Reconnecting…',
  },
  [CloseCode.SlowConsumer]: {
    fr: 'Connexion trop lente. Reconnexion…',
    en: 'Connection too slow. Reconnecting…',
  },
}

/** A sentence a person can act on, for a close code we sent. */
export function describeCloseCode(code: number, lang: 'fr' | 'en'): string | undefined {
  const entry = reasons[code as CloseCode]
  return entry?.[lang]
}

/** True when y-websocket will not reconnect after this code (4400-4499). */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4400 && code <= 4499
}
