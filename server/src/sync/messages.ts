import { CloseCode, MessageType, type SyncStep } from '@fabrique/protocol'
import * as encoding from 'lib0/encoding'

/** [messageSync, subtype, varUint8Array(payload)]: sync step 1 carries a state vector, the others an update. */
export function encodeSyncMessage(subtype: (typeof SyncStep)[keyof typeof SyncStep], payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, subtype)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** Thrown while reading a client's message: that connection is closed with `code`, nobody else is affected. */
export class ProtocolError extends Error {
  readonly code: CloseCode

  constructor(message: string, options?: { cause?: unknown; code?: CloseCode }) {
    super(message, options)
    this.name = 'ProtocolError'
    this.code = options?.code ?? CloseCode.MalformedMessage
  }
}
