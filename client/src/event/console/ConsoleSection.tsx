import { type ReactNode, useState } from 'react'
import { type MessageKey, useLocale } from '../../i18n.tsx'
import { ErrorAlert } from '../ui.tsx'
import { useAction } from '../useRequest.ts'

type Localized = { fr: string; en: string }

/** A sentence for the status line, kept as a key so that it follows a change of language. */
export interface Status {
  key: MessageKey
  values?: Record<string, string | number | Localized>
}

/** A mistake the console catches before asking the server (no board chosen, a number out of range). */
export class ConsoleError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly values: Record<string, string | number> = {},
  ) {
    super(key)
  }
}

/** One request at a time for a section, with what it said (status) or the error to show. */
export function useConsoleAction<A extends unknown[]>(action: (...args: A) => Promise<Status | undefined>) {
  const [status, setStatus] = useState<Status>()
  const runner = useAction(async (...args: A) => {
    setStatus(undefined)
    setStatus(await action(...args))
  })
  return { run: runner.run, busy: runner.busy, error: runner.error, status }
}

/**
 * Buttons of a section waiting for the server: announced and styled as unavailable, but kept
 * focusable (a disabled button drops the keyboard focus); `useAction` ignores clicks meanwhile.
 */
export const whileBusy = (busy: boolean) => ({ 'aria-disabled': busy ? true : undefined })

/** The error (role="alert") or the outcome (role="status") of the section's last request. */
export function Feedback({ error, status, busy }: { error: unknown; status: Status | undefined; busy: boolean }) {
  const { t, locale } = useLocale()
  const values = Object.fromEntries(Object.entries(status?.values ?? {}).map(([name, value]) => [name, typeof value === 'object' ? value[locale] : value]))
  return (
    <div className="console-feedback">
      {error instanceof ConsoleError ? (
        <p role="alert" className="alert alert-error">
          {t(error.key, error.values)}
        </p>
      ) : (
        <ErrorAlert error={error} />
      )}
      <p role="status" className="console-status">
        {busy ? t('console.working') : status ? t(status.key, values) : ''}
      </p>
    </div>
  )
}

/** One tool of the console: a titled region that says when it is waiting for the server. */
export function ConsoleSection({ id, title, busy, children }: { id: string; title: string; busy: boolean; children: ReactNode }) {
  return (
    <section id={id} className="card console-section" aria-labelledby={`${id}-heading`} aria-busy={busy}>
      <h2 id={`${id}-heading`}>
        {title}
        {busy && <span className="spinner spinner-small console-spinner" aria-hidden="true" />}
      </h2>
      {children}
    </section>
  )
}
