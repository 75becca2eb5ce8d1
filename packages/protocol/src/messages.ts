/**
 * y-websocket message types (first varuint of every frame). The wire protocol is y-websocket's,
 * so the stock WebsocketProvider connects unmodified.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const

/** y-protocols sync sub-types (second varuint of a Sync frame). */
export const SyncStep = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const

/** Path of the sync endpoint; the board id follows. */
export const SYNC_PATH_PREFIX = '/sync/'

/**
 * Version of what our client and server expect of each other beyond y-websocket (record layout,
 * close codes). Our client sends it as `?v=`; a server speaking another version closes with 4409.
 */
export const PROTOCOL_VERSION = 1
