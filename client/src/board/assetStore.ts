import type { TLAssetStore } from 'tldraw'
import type { Locale } from '../i18n.tsx'

interface ApiErrorBody {
  error?: { code?: string; message?: Partial<Record<Locale, string>> }
}

/**
 * Images dropped on the board go to the server, stored with the board and served with cache headers:
 * never inlined as base64 in the document, which every participant would download on every join.
 */
export function createAssetStore(boardId: string, locale: () => Locale, onRefused: (message: string) => void, token?: string): TLAssetStore {
  return {
    async upload(_asset, file, abortSignal) {
      const response = await fetch(`/api/boards/${encodeURIComponent(boardId)}/assets`, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: file,
        signal: abortSignal,
      })
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as ApiErrorBody
        const message = body.error?.message?.[locale()] ?? `HTTP ${response.status}`
        onRefused(message)
        throw new Error(message)
      }
      const { url } = (await response.json()) as { url: string }
      return { src: url }
    },
    resolve(asset) {
      return asset.props.src
    },
  }
}
