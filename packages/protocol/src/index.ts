export { CloseCode, describeCloseCode, isFinalCloseCode } from './closeCodes.ts'
export { BOARD_ID_PATTERN, isValidBoardId, newBoardId } from './boardId.ts'
export { MessageType, PROTOCOL_VERSION, SyncStep, SYNC_PATH_PREFIX } from './messages.ts'
export {
  type AgendaPhaseLike,
  type BroadcastMessage,
  type FollowRequest,
  IDLE_RESTITUTION,
  IDLE_TIMER,
  LIVE_MAP,
  type LiveAudiencePrize,
  LiveKey,
  type LiveVote,
  nextRestitution,
  nextTimer,
  type RestitutionAction,
  type RestitutionState,
  restitutionTimeLeft,
  type SlideState,
  type TimerAction,
  type TimerState,
  timeLeft,
  type VoteCount,
} from './live.ts'
export {
  acceptPackedAnswers,
  applyPackedAnswer,
  applyUpdateIn,
  encodePackedAnswer,
  inflateRaw,
  PACK_COLUMNS,
  PACK_COLUMNS_UPDATES,
  PACK_DEFLATE_RAW,
  PACK_PARAM,
  type PackedAnswer,
  PackedFormat,
  PACKED_SYNC_ANSWER,
  PACKED_UPDATE,
  type PackingProvider,
  readPackedAnswer,
  readsPackedUpdates,
  wholeStateFormat,
} from './packedState.ts'
export { applyEntryColumns, diffEntryColumns, encodeStateAsEntryColumns, entryColumnsToV1, entryColumnsToV2 } from './entryColumns.ts'
