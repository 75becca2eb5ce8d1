/** Components drawn once the page is idle, not while a board opens. */
import { type ComponentType, useEffect, useState } from 'react'

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
