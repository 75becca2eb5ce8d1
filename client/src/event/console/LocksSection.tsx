import { useLocale } from '../../i18n.tsx'
import type { BoardOption } from './boards.ts'
import type { ConsoleApi } from './consoleApi.ts'
import { ConsoleSection, Feedback, useConsoleAction, whileBusy } from './ConsoleSection.tsx'

/** Lock every board at the deadline (participants can still read them), unlock them after. */
export function LocksSection({ api, boards, lockedBoardIds }: { api: ConsoleApi; boards: readonly BoardOption[]; lockedBoardIds: readonly string[] | undefined }) {
  const { t } = useLocale()
  const action = useConsoleAction(async (locked: boolean) => {
    await api.lock(locked)
    return { key: locked ? 'console.locks.allLocked' : 'console.locks.allUnlocked' }
  })
  const locked = boards.filter((board) => lockedBoardIds?.includes(board.boardId))
  const busy = whileBusy(action.busy)
  return (
    <ConsoleSection id="console-locks" title={t('console.locks.title')} busy={action.busy}>
      <p className="console-now" data-testid="console-locked-count">
        {lockedBoardIds === undefined
          ? t('console.live.connecting')
          : locked.length === 0
            ? t('console.locks.none')
            : t('console.locks.some', { n: locked.length, total: boards.length, names: locked.map((board) => board.name).join(', ') })}
      </p>
      <p className="field-help">{t('console.locks.help')}</p>
      <div className="button-row">
        <button type="button" {...busy} onClick={() => void action.run(true)}>
          {t('console.locks.lockAll')}
        </button>
        <button type="button" className="secondary" {...busy} onClick={() => void action.run(false)}>
          {t('console.locks.unlockAll')}
        </button>
      </div>
      <Feedback error={action.error} status={action.status} busy={action.busy} />
    </ConsoleSection>
  )
}
