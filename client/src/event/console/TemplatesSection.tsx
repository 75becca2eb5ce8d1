import { getTemplate, isTemplateId, listTemplates, type TemplateCategory } from '@fabrique/templates'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { ErrorAlert } from '../ui.tsx'
import { LOCALES, type Locale, type MessageKey, translate, useLocale } from '../../i18n.tsx'
import { BoardPicker, chosenBoardIds } from './BoardPicker.tsx'
import { ALL_BOARDS, type BoardChoice, type BoardOption, boardName } from './boards.ts'
import type { BoardOutcome, ConsoleApi, EventTemplateSummary, PushReport } from './consoleApi.ts'
import { ConsoleSection, Feedback, type Status, useConsoleAction, whileBusy } from './ConsoleSection.tsx'
import { newPushId, type RememberedPush, usePushHistory } from './pushHistory.ts'

const CATEGORIES: TemplateCategory[] = ['framing', 'journey', 'pitch', 'sheet']

type Request = { kind: 'push' } | { kind: 'withdraw'; push: RememberedPush }

const count = (boards: PushReport['boards'], status: BoardOutcome) => boards.filter((board) => board.status === status).length
/** Built-in templates have a title in each language; the event's own have the name they were saved with. */
const titleOf = (eventTemplates: readonly EventTemplateSummary[]) => (templateId: string) => {
  if (isTemplateId(templateId)) return getTemplate(templateId).title
  const name = eventTemplates.find((template) => template.id === templateId)?.name ?? templateId
  return { fr: name, en: name }
}

/**
 * The templates facilitators saved for the event, fetched when the console opens and again when
 * its window comes back to the front (a template is usually saved on a board, in another tab).
 */
function useEventTemplates(api: ConsoleApi) {
  const [templates, setTemplates] = useState<EventTemplateSummary[]>([])
  const [error, setError] = useState<unknown>()
  useEffect(() => {
    let current = true
    const load = () =>
      api.eventTemplates().then(
        (list) => {
          if (!current) return
          setTemplates(list)
          setError(undefined)
        },
        (caught: unknown) => current && setError(caught),
      )
    void load()
    window.addEventListener('focus', load)
    return () => {
      current = false
      window.removeEventListener('focus', load)
    }
  }, [api])
  return { templates, error }
}

/** Templates: push one to every board (or some) in one action, and take it back where untouched. */
export function TemplatesSection({ api, eventId, boards }: { api: ConsoleApi; eventId: string; boards: readonly BoardOption[] }) {
  const { t, locale } = useLocale()
  const templates = listTemplates()
  const eventTemplates = useEventTemplates(api)
  const templateTitle = titleOf(eventTemplates.templates)
  const [templateId, setTemplateId] = useState<string>(templates[0]?.id ?? '')
  const [templateLocale, setTemplateLocale] = useState<Locale>(locale)
  const [choice, setChoice] = useState<BoardChoice>(ALL_BOARDS)
  const [lastReport, setLastReport] = useState<PushReport>()
  const history = usePushHistory(eventId)
  // A retry of the same push after a failure keeps its id, so that no board gets it twice.
  const pending = useRef<{ request: string; pushId: string }>(undefined)
  const templateFieldId = useId()
  const localeFieldId = useId()

  const action = useConsoleAction(async (request: Request): Promise<Status> => {
    if (request.kind === 'withdraw') {
      const report = await api.withdraw(request.push.pushId)
      history.withdrawn(request.push.pushId, report.boards)
      return {
        key: 'console.templates.withdrawnStatus',
        values: { title: templateTitle(request.push.templateId), withdrawn: count(report.boards, 'withdrawn'), touched: count(report.boards, 'touched') },
      }
    }
    const boardIds = chosenBoardIds(choice, boards)
    const body = { templateId, locale: templateLocale, boardIds }
    const key = JSON.stringify(body)
    const pushId = pending.current?.request === key ? pending.current.pushId : newPushId()
    pending.current = { request: key, pushId }
    setLastReport(undefined)
    const report = await api.push({ pushId, ...body })
    pending.current = undefined
    setLastReport(report)
    history.remember({ pushId, templateId, locale: templateLocale, at: new Date().toISOString(), boards: report.boards })
    return {
      key: 'console.templates.pushedStatus',
      values: {
        title: templateTitle(templateId),
        placed: count(report.boards, 'placed'),
        already: count(report.boards, 'already'),
        failed: count(report.boards, 'failed'),
      },
    }
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void action.run({ kind: 'push' })
  }
  const busy = whileBusy(action.busy)

  return (
    <ConsoleSection id="console-templates" title={t('console.templates.title')} busy={action.busy}>
      <form onSubmit={submit}>
        <div className="row-fields">
          <div className="field grow">
            <label htmlFor={templateFieldId}>{t('console.templates.template')}</label>
            <select id={templateFieldId} value={templateId} onChange={(event) => setTemplateId(event.target.value)}>
              {CATEGORIES.map((category) => (
                <optgroup key={category} label={t(`console.templates.category.${category}`)}>
                  {templates
                    .filter((template) => template.category === category)
                    .map((template) => (
                      <option key={template.id} value={template.id}>
                        {template.title[locale]}
                      </option>
                    ))}
                </optgroup>
              ))}
              {eventTemplates.templates.length > 0 && (
                <optgroup label={t('console.templates.category.event')}>
                  {eventTemplates.templates.map((template) => (
                    <option key={template.id} value={template.id}>
                      {t('console.templates.eventShapes', { name: template.name, count: template.shapeCount })}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </div>
          <div className="field">
            <label htmlFor={localeFieldId}>{t('console.templates.language')}</label>
            <select id={localeFieldId} value={templateLocale} onChange={(event) => setTemplateLocale(event.target.value as Locale)}>
              {LOCALES.map((option) => (
                <option key={option} value={option} lang={option}>
                  {translate(option, `language.${option}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <BoardPicker boards={boards} value={choice} onChange={setChoice} />
        <div className="button-row">
          <button type="submit" {...busy}>
            {t('console.templates.push')}
          </button>
        </div>
      </form>
      <ErrorAlert error={eventTemplates.error} />
      <Feedback error={action.error} status={action.status} busy={action.busy} />
      {lastReport && <Outcomes outcomes={lastReport.boards} boards={boards} testId="push-results" label={t('console.templates.results')} />}

      <h3>{t('console.templates.recent')}</h3>
      {history.pushes.length === 0 ? (
        <p className="muted">{t('console.templates.noRecent')}</p>
      ) : (
        <ul className="console-list" data-testid="recent-pushes">
          {history.pushes.map((push) => (
            <RecentPush
              key={push.pushId}
              push={push}
              title={templateTitle(push.templateId)[locale]}
              boards={boards}
              busy={action.busy}
              onWithdraw={() => void action.run({ kind: 'withdraw', push })}
            />
          ))}
        </ul>
      )}
    </ConsoleSection>
  )
}

function RecentPush({ push, title, boards, busy, onWithdraw }: { push: RememberedPush; title: string; boards: readonly BoardOption[]; busy: boolean; onWithdraw(): void }) {
  const { t, locale } = useLocale()
  const time = new Date(push.at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
  const description = t('console.templates.pushLine', { title, time, language: translate(locale, `language.${push.locale}`) })
  const over = push.withdrawal?.every((board) => board.status !== 'touched' && board.status !== 'failed')
  return (
    <li className="console-push" data-testid="recent-push">
      <span className="console-list-text">
        {description}
        <Outcomes outcomes={push.boards} boards={boards} label={t('console.templates.results')} />
        {push.withdrawal && <Outcomes outcomes={push.withdrawal.filter((board) => board.status !== 'not-pushed')} boards={boards} label={t('console.templates.withdrawal')} testId="withdraw-results" />}
      </span>
      <button type="button" className="secondary" {...whileBusy(busy)} disabled={over} aria-label={t('console.templates.withdrawNamed', { title, time })} onClick={onWithdraw}>
        {t('console.templates.withdraw')}
      </button>
    </li>
  )
}

const OUTCOME_KEYS: Record<BoardOutcome, MessageKey> = {
  placed: 'console.outcome.placed',
  already: 'console.outcome.already',
  failed: 'console.outcome.failed',
  withdrawn: 'console.outcome.withdrawn',
  touched: 'console.outcome.touched',
  'not-pushed': 'console.outcome.notPushed',
  'already-withdrawn': 'console.outcome.alreadyWithdrawn',
}

/** What happened on each board, by name. */
function Outcomes({ outcomes, boards, label, testId }: { outcomes: PushReport['boards']; boards: readonly BoardOption[]; label: string; testId?: string }) {
  const { t } = useLocale()
  return (
    <div className="console-outcomes">
      <span className="muted">{label}</span>
      <ul data-testid={testId}>
        {outcomes.map((outcome) => (
          <li key={outcome.boardId} data-status={outcome.status} className={`outcome-${outcome.status}`}>
            {t('console.outcome.line', { board: boardName(boards, outcome.boardId), outcome: t(OUTCOME_KEYS[outcome.status]) })}
          </li>
        ))}
      </ul>
    </div>
  )
}
