/** A tiny Prometheus registry: counters, gauges read on demand, and histograms. */
export class Metrics {
  private readonly counters = new Map<string, { help: string; value: number }>()
  private readonly gauges = new Map<string, { help: string; read: () => number }>()
  private readonly histograms = new Map<string, Histogram>()

  counter(name: string, help: string): { inc(by?: number): void } {
    const entry = { help, value: 0 }
    this.counters.set(name, entry)
    return {
      inc(by = 1) {
        entry.value += by
      },
    }
  }

  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read })
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    const histogram = new Histogram(help, buckets)
    this.histograms.set(name, histogram)
    return histogram
  }

  /** The text exposition format (version 0.0.4). */
  render(): string {
    const lines: string[] = []
    for (const [name, { help, value }] of this.counters) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`)
    }
    for (const [name, { help, read }] of this.gauges) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${read()}`)
    }
    for (const [name, h] of this.histograms) {
      lines.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`)
      let cumulative = 0
      h.buckets.forEach((le, i) => {
        cumulative += h.counts[i] ?? 0
        lines.push(`${name}_bucket{le="${le}"} ${cumulative}`)
      })
      lines.push(`${name}_bucket{le="+Inf"} ${h.count}`, `${name}_sum ${h.sum}`, `${name}_count ${h.count}`)
    }
    return `${lines.join('\n')}\n`
  }
}

export class Histogram {
  readonly counts: number[]
  count = 0
  sum = 0

  constructor(
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0)
  }

  observe(value: number): void {
    this.count++
    this.sum += value
    const i = this.buckets.findIndex((le) => value <= le)
    if (i >= 0) this.counts[i] = (this.counts[i] ?? 0) + 1
  }
}
