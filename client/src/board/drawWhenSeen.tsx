/**
 * Shapes drawn once they have come into view, not before (and, below, components drawn once the
 * page is idle).
 *
 * tldraw mounts every shape of the page and hides those out of view (culled) with CSS: opening a
 * 5,000-shape board rendered 5,000 labels and bodies of which some thirty were on the screen. A
 * shape's content is drawn here the first time it is not culled (in view, selected or being
 * edited), and kept from then on, so that panning back and forth draws nothing twice; until then
 * its wrapper is there, empty. Geometry, hit-testing, the outline, exports and accessibility read
 * the records, not this content.
 */
import { type ComponentType, type ReactNode, useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import { type Editor, react, type TLShapeId, unsafe__withoutCapture } from 'tldraw'

/** Per editor: the shapes drawn so far, and the ones waiting to come into view. */
class Sightings {
  private readonly drawn = new Set<TLShapeId>()
  private readonly waiting = new Map<TLShapeId, () => void>()

  constructor(private readonly editor: Editor) {
    const stop = react('draw the shapes that come into view', () => {
      const culled = editor.getCulledShapes()
      for (const [id, draw] of this.waiting) {
        if (culled.has(id)) continue
        this.waiting.delete(id)
        this.drawn.add(id)
        draw()
      }
    })
    editor.disposables.add(stop)
  }

  isDrawn(id: TLShapeId): boolean {
    if (this.drawn.has(id)) return true
    // Read during a render: the shape's component must not depend on the culled set.
    const culled = unsafe__withoutCapture(() => this.editor.getCulledShapes().has(id))
    if (culled) return false
    this.drawn.add(id)
    return true
  }

  wait(id: TLShapeId, draw: () => void): () => void {
    if (this.drawn.has(id)) return () => {}
    this.waiting.set(id, draw)
    return () => {
      if (this.waiting.get(id) === draw) this.waiting.delete(id)
    }
  }
}

const sightingsByEditor = new WeakMap<Editor, Sightings>()

function sightingsOf(editor: Editor): Sightings {
  let sightings = sightingsByEditor.get(editor)
  if (!sightings) {
    sightings = new Sightings(editor)
    sightingsByEditor.set(editor, sightings)
  }
  return sightings
}

/**
 * A shape util's content, drawn from the first time the shape is seen. `draw` may call hooks: it
 * runs inside a component of its own, mounted when the shape is first seen.
 */
export function DrawnWhenSeen({ editor, id, draw }: { editor: Editor; id: TLShapeId; draw: () => ReactNode }) {
  const sightings = sightingsOf(editor)
  const subscribe = useCallback((onChange: () => void) => sightings.wait(id, onChange), [sightings, id])
  const drawn = useSyncExternalStore(subscribe, () => sightings.isDrawn(id))
  return drawn ? <Drawn draw={draw} /> : null
}

function Drawn({ draw }: { draw: () => ReactNode }) {
  return draw()
}

const idleVersions = new WeakMap<ComponentType, ComponentType>()

/** The same component, rendered from the first moment the page is idle (one version per component). */
export function whenIdle(Component: ComponentType): ComponentType {
  let Later = idleVersions.get(Component)
  if (!Later) {
    Later = function WhenIdle() {
      const [idle, setIdle] = useState(false)
      useEffect(() => {
        if (typeof requestIdleCallback === 'function') {
          const handle = requestIdleCallback(() => setIdle(true), { timeout: 2000 })
          return () => cancelIdleCallback(handle)
        }
        const handle = setTimeout(() => setIdle(true), 500)
        return () => clearTimeout(handle)
      }, [])
      return idle ? <Component /> : null
    }
    idleVersions.set(Component, Later)
  }
  return Later
}
