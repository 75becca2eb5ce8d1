/**
 * A quick reading of a V8 CPU profile (`node --cpu-prof`): where the server spent its time, by
 * function (self time) and by package, as lines for the report.
 */
import fs from 'node:fs'
import path from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}

interface CpuProfile {
  nodes: ProfileNode[]
  /** Microseconds, on the profiler's own clock. */
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** A part of the profile, in milliseconds before its end (the process's exit). */
export interface ProfileWindow {
  label: string
  startBeforeEndMs: number
  endBeforeEndMs: number
}

/** `node_modules/.pnpm/yjs@13…/node_modules/yjs/…` → yjs; the repository's own files by folder. */
function packageOf(url: string, repoRoot: string): string {
  if (!url) return '(native / V8)'
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/')
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? url)
  }
  if (url.startsWith('node:')) return 'node (built-ins)'
  const file = url.replace(/^file:\/\//, '')
  const relative = path.relative(repoRoot, file)
  return relative.startsWith('..') ? file : relative.split('/').slice(0, 2).join('/')
}

/**
 * The server's main-thread profile in `dir` (the largest: tsx's worker threads write small ones
 * too), summarised: top functions by self time, then top packages.
 */
export function summariseProfile(dir: string, repoRoot: string, window?: ProfileWindow, top = 12): { file: string; lines: string[] } | undefined {
  if (!fs.existsSync(dir)) return undefined
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)
  const file = files[0]
  if (!file) return undefined
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map<number, number>()
  const from = window ? profile.endTime - window.startBeforeEndMs * 1000 : Number.NEGATIVE_INFINITY
  const to = window ? profile.endTime - window.endBeforeEndMs * 1000 : Number.POSITIVE_INFINITY
  let t = profile.startTime
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0
    if (t >= from && t <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  let total = 0
  let idle = 0
  const functions = new Map<string, number>()
  const packages = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame
    if (!frame) continue
    total += us
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') {
      if (frame.functionName === '(idle)') idle += us
      continue
    }
    const where = frame.url ? `${packageOf(frame.url, repoRoot)}:${frame.lineNumber + 1}` : ''
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim()
    functions.set(key, (functions.get(key) ?? 0) + us)
    const pkg = packageOf(frame.url, repoRoot)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  }
  const busy = total - idle
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`
  const ranked = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
  return {
    file: path.relative(repoRoot, file),
    lines: [
      `${window ? `${window.label} (placed from the process's exit; ±0.5 s)` : 'the whole run'}: busy ${(busy / 1e6).toFixed(1)} s of ${(total / 1e6).toFixed(1)} s; shares of the busy time:`,
      ...ranked(functions, top).map(([name, us]) => `${pct(us)}  ${name}`),
      'by package:',
      ...ranked(packages, 8).map(([name, us]) => `${pct(us)}  ${name}`),
    ],
  }
}
