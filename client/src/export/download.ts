import type { Locale } from '../i18n.tsx'
import { ApiError } from '../event/api.ts'

const segment = encodeURIComponent

/** The export routes of the API (server/src/http/exports.ts); `lang` picks the headings' language. */
export const exportUrls = {
  teamSheet: (eventId: string, teamId: string, format: 'pdf' | 'md' | 'json', lang: Locale) =>
    `/api/events/${segment(eventId)}/teams/${segment(teamId)}/sheet.${format}?lang=${lang}`,
  notesCsv: (eventId: string, lang: Locale) => `/api/events/${segment(eventId)}/notes.csv?lang=${lang}`,
  eventPdf: (eventId: string, lang: Locale) => `/api/events/${segment(eventId)}/sheets.pdf?lang=${lang}`,
  eventZip: (eventId: string, lang: Locale) => `/api/events/${segment(eventId)}/export.zip?lang=${lang}`,
}

/** `attachment; filename="x.pdf"` or RFC 5987's `filename*=UTF-8''x.pdf` (preferred when both). */
export function filenameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim())
    } catch {
      // A malformed escape: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header)
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]
  // Never a path: a file name only.
  return name ? name.replace(/^.*[/\\]/, '') || undefined : undefined
}

export interface DownloadedFile {
  blob: Blob
  /** From Content-Disposition; absent when the server gave none. */
  filename: string | undefined
}

/** GETs a file with the staff token; a refusal becomes an ApiError with the server's own sentence. */
export async function fetchFile(url: string, token: string, signal?: AbortSignal): Promise<DownloadedFile> {
  let response: Response
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal, cache: 'no-store' })
  } catch {
    if (signal?.aborted) throw signal.reason
    throw new ApiError(0, 'network', undefined)
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: { fr?: string; en?: string } } } | undefined
    const message = body?.error?.message
    throw new ApiError(response.status, body?.error?.code ?? 'http', message?.fr && message.en ? { fr: message.fr, en: message.en } : undefined)
  }
  return { blob: await response.blob(), filename: filenameFromDisposition(response.headers.get('content-disposition')) }
}

/** Hands a Blob to the browser as a download, through a short-lived object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started by now; a minute leaves slow disks room before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
