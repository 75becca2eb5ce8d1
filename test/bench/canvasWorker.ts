/**
 * A canvas benchmark in a process of its own (fresh heap, fresh JIT, its CPU readable from /proc):
 * `canvasWorker.ts '<job as JSON>'`. Sends the result (or the error) to the parent over IPC, then exits.
 */
import type { CanvasJob, FromCanvasWorker } from './canvasRuns.ts'
import { installAnimationFrame } from './canvasFixtures.ts'

installAnimationFrame()

async function run(job: CanvasJob) {
  const { scenario, kind } = job
  if (scenario.kind === 'export') {
    const { runExport } = await import('./exportScenario.ts')
    return runExport(scenario, kind === 'fabrique' ? scenario.teams : scenario.comparisonTeams)
  }
  if (scenario.kind === 'board-load') {
    const { runBoardLoad } = await import('./browserScenarios.ts')
    return runBoardLoad(scenario, kind === 'fabrique' ? scenario.shapes : scenario.comparisonShapes)
  }
  const { runBindingBatch, runDragBytes } = await import('./bindingScenarios.ts')
  return scenario.kind === 'binding-batch' ? runBindingBatch(scenario, kind) : runDragBytes(scenario, kind)
}

function reply(message: FromCanvasWorker, code: number): void {
  // Exit explicitly: a MessagePort a dependency leaves open would keep the process alive.
  if (process.send) process.send(message, () => process.exit(code))
  else process.exit(code)
}

run(JSON.parse(process.argv[2] ?? '') as CanvasJob).then(
  (result) => reply({ type: 'result', result }, 0),
  (error: unknown) => reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, 1),
)
