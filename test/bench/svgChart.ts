/**
 * The sweep as a chart: p99 cursor latency (y, log scale) against the number of clients in one
 * board (x, log scale: the points double), one line per server. Hand-written SVG, no dependency.
 * A point whose p99 is infinite (more than 1 % of the moves never arrived) sits on the top edge,
 * hollow, marked ∞.
 */
import { ALL_SERVERS, type AnyServer, SERVER_LABELS } from './servers.ts'

export interface ChartPoint {
  clients: number
  p99Ms: number
}

const WIDTH = 820
const HEIGHT = 480
const MARGIN = { left: 86, right: 230, top: 64, bottom: 56 }
const COLOURS: Record<AnyServer, string> = { fabrique: '#1f6feb', reference: '#d1242f', hocuspocus: '#8250df', relay: '#6e7781' }
const DASHES: Record<AnyServer, string> = { fabrique: '', reference: '6 4', hocuspocus: '2 3', relay: '1 5' }

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (v: number) => (Math.round(v * 10) / 10).toString()

export function latencyChart(series: Partial<Record<AnyServer, ChartPoint[]>>, subtitle: string): string {
  const all = Object.values(series).flat()
  const points = all.filter((p) => Number.isFinite(p.p99Ms) && p.p99Ms > 0)
  const clients = [...new Set(all.map((p) => p.clients))].sort((a, b) => a - b)
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const minX = Math.log10(clients[0] ?? 1)
  const maxX = Math.log10(clients[clients.length - 1] ?? 10)
  // Whole decades, at least 1 ms to 1 s, so that charts of different runs compare at a glance.
  const minY = Math.min(0, Math.floor(Math.log10(Math.min(...points.map((p) => p.p99Ms), 1))))
  const maxY = Math.max(3, Math.ceil(Math.log10(Math.max(...points.map((p) => p.p99Ms), 1000))))
  const x = (n: number) => MARGIN.left + (maxX > minX ? ((Math.log10(n) - minX) / (maxX - minX)) * plotW : plotW / 2)
  const y = (ms: number) => (Number.isFinite(ms) ? MARGIN.top + plotH - ((Math.log10(ms) - minY) / (maxY - minY)) * plotH : MARGIN.top)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    '<title>p99 cursor latency against the number of clients in one board</title>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600" fill="#1f2328">p99 cursor latency, one board, every client moving at 10 Hz</text>`,
    `<text x="${MARGIN.left}" y="42" fill="#656d76">${escapeXml(subtitle)}</text>`,
  ]
  for (let decade = minY; decade <= maxY; decade++) {
    const value = 10 ** decade
    const label = value >= 1000 ? `${value / 1000} s` : `${value} ms`
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${fmt(y(value))}" y2="${fmt(y(value))}" stroke="#d0d7de"/>`,
      `<text x="${MARGIN.left - 8}" y="${fmt(y(value) + 4)}" text-anchor="end" fill="#656d76">${label}</text>`,
    )
    for (const minor of [2, 5]) {
      if (decade < maxY) out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${fmt(y(value * minor))}" y2="${fmt(y(value * minor))}" stroke="#eef1f4"/>`)
    }
  }
  for (const n of clients) {
    out.push(
      `<line x1="${fmt(x(n))}" x2="${fmt(x(n))}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eef1f4"/>`,
      `<text x="${fmt(x(n))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#656d76">${n}</text>`,
    )
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#8c959f"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle" fill="#1f2328">clients in the board (log scale)</text>`,
    `<text transform="translate(20 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#1f2328">p99 latency (log scale)</text>`,
  )
  let legendY = MARGIN.top + 10
  for (const kind of ALL_SERVERS) {
    const line = (series[kind] ?? []).filter((p) => p.p99Ms > 0).sort((a, b) => a.clients - b.clients)
    if (line.length === 0) continue
    const colour = COLOURS[kind]
    const dash = DASHES[kind] ? ` stroke-dasharray="${DASHES[kind]}"` : ''
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="2.5"${dash} points="${line.map((p) => `${fmt(x(p.clients))},${fmt(y(p.p99Ms))}`).join(' ')}"/>`)
    for (const p of line) {
      const finite = Number.isFinite(p.p99Ms)
      const title = `${escapeXml(SERVER_LABELS[kind])}: ${p.clients} clients, p99 ${finite ? `${fmt(p.p99Ms)} ms` : '∞ (moves lost)'}`
      out.push(`<circle cx="${fmt(x(p.clients))}" cy="${fmt(y(p.p99Ms))}" r="${finite ? 3.5 : 5}" fill="${finite ? colour : '#ffffff'}" stroke="${colour}" stroke-width="2"><title>${title}</title></circle>`)
      if (!finite) out.push(`<text x="${fmt(x(p.clients) + 8)}" y="${fmt(y(p.p99Ms) + 14)}" fill="${colour}">∞</text>`)
    }
    const lx = MARGIN.left + plotW + 16
    out.push(
      `<line x1="${lx}" x2="${lx + 28}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2.5"${dash}/>`,
      `<text x="${lx + 36}" y="${legendY + 4}" fill="#1f2328">${escapeXml(SERVER_LABELS[kind])}</text>`,
    )
    legendY += 22
  }
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
