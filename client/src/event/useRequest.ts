import { useCallback, useEffect, useRef, useState } from 'react'

export interface Loaded<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  /** Loads again, keeping the current data on screen meanwhile. */
  reload(): void
}

/**
 * Loads `load()` when `key` changes, and again every `refreshMs` while the tab is visible.
 * Answers that arrive after a newer request started are dropped.
 */
export function useLoad<T>(key: string | undefined, load: () => Promise<T>, refreshMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: key !== undefined })
  const loadRef = useRef(load)
  loadRef.current = load
  const generation = useRef(0)

  const run = useCallback(() => {
    const mine = ++generation.current
    setState((s) => ({ ...s, loading: true }))
    loadRef.current().then(
      (data) => {
        if (mine === generation.current) setState({ data, loading: false })
      },
      (error: unknown) => {
        if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }))
      },
    )
  }, [])

  useEffect(() => {
    if (key === undefined) return undefined
    run()
    if (!refreshMs) return undefined
    const timer = setInterval(() => {
      if (!document.hidden) run()
    }, refreshMs)
    return () => {
      clearInterval(timer)
      generation.current++
    }
  }, [key, refreshMs, run])

  return { data: state.data, error: state.error, loading: state.loading, reload: run }
}

/** Runs one action at a time (a form submit, a button), with its error kept for display. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const actionRef = useRef(action)
  actionRef.current = action
  const busyRef = useRef(false)
  const run = useCallback(async (...args: A) => {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    setError(undefined)
    try {
      await actionRef.current(...args)
    } catch (caught) {
      setError(caught)
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }, [])
  return { run, busy, error, clearError: () => setError(undefined) }
}
