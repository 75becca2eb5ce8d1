import { type MouseEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { LanguageSwitch, type MessageKey, useLocale } from '../i18n.tsx'
import { navigate } from '../router.tsx'
import { ApiError } from './api.ts'

/** A sentence for a failed request: the server's own when it gave one, in the reader's language. */
export function useErrorText(): (error: unknown) => string {
  const { locale, t } = useLocale()
  return (error) => {
    if (error instanceof ApiError) {
      if (error.messages) return error.messages[locale]
      if (error.code === 'network') return t('error.network')
      return t('error.unexpected', { status: error.status })
    }
    return t('error.unexpected', { status: '?' })
  }
}

export function ErrorAlert({ error }: { error: unknown }) {
  const text = useErrorText()
  if (!error) return null
  return (
    <p role="alert" className="alert alert-error">
      {text(error)}
    </p>
  )
}

/** An in-app link: a real `<a>` (new tab, copy address), moved to with `navigate` on a plain click. */
export function Link({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  return (
    <a href={href} onClick={onClick} className={className}>
      {children}
    </a>
  )
}

/**
 * The page's title. On arrival it takes the focus, so that a screen reader announces the new page
 * after an in-app navigation (no page load tells it), and names the tab.
 */
export function EventPageHeader({ title, subtitle }: { title: string; subtitle?: string }) {
  const { t } = useLocale()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.focus({ preventScroll: true })
  }, [])
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`
    return () => {
      document.title = t('app.name')
    }
  }, [title, t])
  return (
    <header className="page-header">
      <div>
        <p className="brand">
          <Link href="/">{t('app.name')}</Link>
        </p>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {subtitle && <p className="muted subtitle">{subtitle}</p>}
      </div>
      <LanguageSwitch />
    </header>
  )
}

export function Loading() {
  const { t } = useLocale()
  return (
    <p role="status" className="loading">
      <span className="spinner spinner-small" aria-hidden="true" /> {t('event.loading')}
    </p>
  )
}

/** The event's date in the reader's language (the API gives YYYY-MM-DD). */
export function useFormatDate(): (isoDate: string) => string {
  const { locale } = useLocale()
  return (isoDate) => {
    const [y, m, d] = isoDate.split('-').map(Number)
    if (!y || !m || !d) return isoDate
    return new Date(y, m - 1, d).toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  }
}

async function copyText(text: string, fallback: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // No Clipboard API outside HTTPS and localhost: select the text and use the old command.
    if (!fallback) return false
    fallback.select()
    return document.execCommand('copy')
  }
}

/** A link to hand out: labelled, selectable, with a copy button that says when it copied. */
export function CopyField({ label, value, help, testId }: { label: string; value: string; help?: ReactNode; testId?: string }) {
  const { t } = useLocale()
  const inputId = useId()
  const helpId = useId()
  const input = useRef<HTMLInputElement>(null)
  const [status, setStatus] = useState<MessageKey>()
  useEffect(() => {
    if (!status) return undefined
    const timer = setTimeout(() => setStatus(undefined), 4000)
    return () => clearTimeout(timer)
  }, [status])
  const copy = async () => setStatus((await copyText(value, input.current)) ? 'copy.done' : 'copy.failed')
  return (
    <div className="copy-field">
      <label htmlFor={inputId}>{label}</label>
      {help && (
        <div id={helpId} className="field-help">
          {help}
        </div>
      )}
      <div className="copy-row">
        <input
          id={inputId}
          ref={input}
          value={value}
          readOnly
          onFocus={(event) => event.target.select()}
          aria-describedby={help ? helpId : undefined}
          data-testid={testId}
        />
        <button type="button" className="secondary" onClick={copy} aria-label={t('copy.labelled', { label })}>
          {t('copy.button')}
        </button>
      </div>
      <p role="status" className="copy-status">
        {status ? t(status) : ''}
      </p>
    </div>
  )
}
