import type { Locale } from '../i18n.tsx'

/** "il y a 3 minutes" / "3 minutes ago" from an ISO time. */
export function relativeTime(iso: string, locale: Locale, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const abs = Math.abs(seconds)
  if (abs < 45) return format.format(0, 'second')
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute')
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour')
  return format.format(Math.round(seconds / 86400), 'day')
}

/** "1,5 Mo" / "1.5 MB" */
export function byteSize(bytes: number, locale: Locale): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value)
}

export function count(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(n)
}

export function percent(ratio: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio)
}

/** Past this share of its limit, a board is flagged: at the limit it refuses changes. */
export const SIZE_WARNING_RATIO = 0.8
