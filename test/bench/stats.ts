/** Percentiles of latency samples gathered by several generator processes. */

export interface LatencySummary {
  count: number
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Nearest-rank percentile of sorted samples: a value that was actually observed. */
export function percentile(sorted: Float64Array | readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

export function summarize(parts: readonly (Float64Array | readonly number[])[]): LatencySummary {
  const total = parts.reduce((sum, part) => sum + part.length, 0)
  const all = new Float64Array(total)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  // Typed-array sort is numeric (no comparator needed) and fast for half a million samples.
  all.sort()
  let sum = 0
  for (const value of all) sum += value
  return {
    count: total,
    mean: total > 0 ? sum / total : Number.NaN,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: total > 0 ? (all[total - 1] as number) : Number.NaN,
  }
}

/** Middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
