import type { Histogram, Metrics } from '../metrics.ts'

export interface SyncMetrics {
  messagesIn: { inc(by?: number): void }
  messagesOut: { inc(by?: number): void }
  bytesIn: { inc(by?: number): void }
  bytesOut: { inc(by?: number): void }
  protocolErrors: { inc(by?: number): void }
  readOnlyUpdatesDropped: { inc(by?: number): void }
  updatesRefused: { inc(by?: number): void }
  compactions: { inc(by?: number): void }
  storageFailures: { inc(by?: number): void }
  appendSeconds: Histogram
  loadSeconds: Histogram
  /** Decoding a resting board again for its first write. */
  wakeSeconds: Histogram
  /** Full collections run after boards rested or unloaded (see memoryReclaimer.ts). */
  reclaimSeconds: Histogram
  /** The C heap's free pages given back after those collections (malloc_trim, on a pool thread). */
  heapTrimSeconds: Histogram
  /** V8's heap compacted and its free pages given back, after those collections (on the event loop). */
  heapCompactSeconds: Histogram
}

export function createSyncMetrics(metrics: Metrics): SyncMetrics {
  const latency = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
  return {
    messagesIn: metrics.counter('fabrique_sync_messages_in_total', 'WebSocket messages received'),
    messagesOut: metrics.counter('fabrique_sync_messages_out_total', 'WebSocket messages sent'),
    bytesIn: metrics.counter('fabrique_sync_bytes_in_total', 'Bytes received on sync sockets'),
    bytesOut: metrics.counter('fabrique_sync_bytes_out_total', 'Bytes sent on sync sockets'),
    protocolErrors: metrics.counter('fabrique_sync_protocol_errors_total', 'Connections closed for a bad message'),
    readOnlyUpdatesDropped: metrics.counter('fabrique_sync_readonly_updates_dropped_total', 'Updates from read-only connections dropped'),
    updatesRefused: metrics.counter('fabrique_sync_updates_refused_total', 'Updates refused for content a board cannot hold'),
    compactions: metrics.counter('fabrique_storage_compactions_total', 'Board logs compacted'),
    storageFailures: metrics.counter('fabrique_storage_failures_total', 'Storage operations that failed'),
    appendSeconds: metrics.histogram('fabrique_storage_append_seconds', 'Time to append updates to storage', latency),
    loadSeconds: metrics.histogram('fabrique_storage_load_seconds', 'Time to load a board from storage', latency),
    wakeSeconds: metrics.histogram('fabrique_room_wake_seconds', 'Time to decode a resting board for its first write', latency),
    reclaimSeconds: metrics.histogram('fabrique_memory_reclaim_seconds', 'Full garbage collections run after boards rested or unloaded', latency),
    heapTrimSeconds: metrics.histogram('fabrique_memory_trim_seconds', "The C heap's free pages given back to the system after those collections", latency),
    heapCompactSeconds: metrics.histogram('fabrique_memory_compact_seconds', "V8's heap compacted and its free pages given back after those collections", latency),
  }
}
