import { useCallback, useEffect, useRef, useState } from 'react'
import { loadConfig } from '../config.ts'
import type { Locale } from '../i18n.tsx'
import { type BundleProgress, type BundleResult, buildBundle } from './bundle.ts'
import { fetchFile, saveBlob } from './download.ts'

export type DownloadState =
  | { kind: 'idle' }
  | { kind: 'pending'; label: string }
  | { kind: 'done'; filename: string }
  | { kind: 'failed'; error: unknown }

/** One file at a time from the export API, saved under the name the server gave it. */
export function useDownload(token: string) {
  const [state, setState] = useState<DownloadState>({ kind: 'idle' })
  const busy = useRef(false)
  const download = useCallback(
    async (url: string, label: string, fallbackName: string) => {
      if (busy.current) return
      busy.current = true
      setState({ kind: 'pending', label })
      try {
        const file = await fetchFile(url, token)
        const filename = file.filename ?? fallbackName
        saveBlob(file.blob, filename)
        setState({ kind: 'done', filename })
      } catch (error) {
        setState({ kind: 'failed', error })
      } finally {
        busy.current = false
      }
    },
    [token],
  )
  return { state, download }
}

export type BundleState =
  | { kind: 'idle' }
  | { kind: 'running'; progress: BundleProgress }
  | { kind: 'done'; filename: string; missingPictures: BundleResult['missingPictures'] }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: unknown }

/**
 * The full bundle with pictures: runs `buildBundle` with an AbortController that Cancel, a failure
 * and leaving the page all abort (requests stop, boards close, nothing is saved).
 */
export function useBundle(eventId: string, token: string, locale: Locale) {
  const [state, setState] = useState<BundleState>({ kind: 'idle' })
  const running = useRef<AbortController | undefined>(undefined)
  useEffect(() => () => running.current?.abort(), [])

  const start = useCallback(async () => {
    if (running.current) return
    const controller = new AbortController()
    running.current = controller
    const { signal } = controller
    setState({ kind: 'running', progress: { step: { kind: 'start' }, done: 0, total: 1 } })
    try {
      const config = await loadConfig().catch(() => undefined)
      const result = await buildBundle({
        eventId,
        token,
        locale,
        licenseKey: config?.tldrawLicenseKey ?? undefined,
        signal,
        onProgress: (progress) => {
          if (!signal.aborted) setState({ kind: 'running', progress })
        },
      })
      signal.throwIfAborted()
      saveBlob(result.blob, result.filename)
      setState({ kind: 'done', filename: result.filename, missingPictures: result.missingPictures })
    } catch (error) {
      const cancelled = signal.aborted
      // A failure stops whatever else was still running for this bundle.
      controller.abort()
      setState(cancelled ? { kind: 'cancelled' } : { kind: 'failed', error })
    } finally {
      if (running.current === controller) running.current = undefined
    }
  }, [eventId, token, locale])

  const cancel = useCallback(() => {
    running.current?.abort(new DOMException('Export cancelled', 'AbortError'))
    setState({ kind: 'cancelled' })
  }, [])

  return { state, start, cancel }
}
