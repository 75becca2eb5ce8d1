import { useLocale } from '../../i18n.tsx'
import type { BoardCard, EventInfo, Role } from '../api.ts'
import { byteSize, count, percent, relativeTime, SIZE_WARNING_RATIO } from '../format.ts'
import { paths } from '../paths.ts'
import type { Loaded } from '../useRequest.ts'
import type { ConsoleApi } from './consoleApi.ts'
import { BoardPreview } from './BoardPreview.tsx'
import { ConsoleSection, Feedback, useConsoleAction, whileBusy } from './ConsoleSection.tsx'

interface BoardsSectionProps {
  api: ConsoleApi
  event: EventInfo
  boards: Loaded<{ boards: BoardCard[] }>
  role: Role
  lockedBoardIds: readonly string[] | undefined
}

/** Every board of the event, what it looks like, who is on it, how busy and how big; each one locked or unlocked here. */
export function BoardsSection({ api, event, boards, role, lockedBoardIds }: BoardsSectionProps) {
  const { t, locale } = useLocale()
  const action = useConsoleAction(async (boardId: string, name: string, locked: boolean) => {
    await api.lock(locked, [boardId])
    return { key: locked ? 'console.locks.boardLocked' : 'console.locks.boardUnlocked', values: { name } }
  })
  const challengeTitle = (id: string | null) => event.challenges.find((c) => c.id === id)?.title ?? '—'
  return (
    <ConsoleSection id="console-boards" title={t('facilitate.boards')} busy={action.busy}>
      <div className="section-head">
        <p className="muted">{t('facilitate.autoRefresh')}</p>
        <button type="button" className="secondary" onClick={boards.reload} {...whileBusy(boards.loading)}>
          {boards.loading ? t('facilitate.refreshing') : t('facilitate.refresh')}
        </button>
      </div>
      <Feedback error={action.error} status={action.status} busy={action.busy} />
      <div className="table-scroll">
        <table className="boards-table">
          <caption className="visually-hidden">{t('facilitate.boards')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('facilitate.board')}</th>
              <th scope="col">{t('facilitate.preview')}</th>
              <th scope="col">{t('facilitate.challenge')}</th>
              <th scope="col">{t('facilitate.members')}</th>
              <th scope="col">{t('facilitate.online')}</th>
              <th scope="col">{t('facilitate.shapes')}</th>
              <th scope="col">{t('facilitate.lastActivity')}</th>
              <th scope="col">{t('facilitate.size')}</th>
              <th scope="col">{t('console.locks.column')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('facilitate.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(boards.data?.boards ?? []).map((board) => {
              const name = board.team ? board.team.name : t('facilitate.plenary')
              const ratio = board.size.limit > 0 ? board.size.bytes / board.size.limit : 0
              const locked = lockedBoardIds?.includes(board.boardId) ?? false
              const boardPath = paths.board(event.id, board.boardId, { as: role })
              return (
                <tr key={board.boardId} data-testid="board-row" data-board-name={name} data-locked={locked} className={locked ? 'board-locked' : undefined}>
                  <th scope="row">{name}</th>
                  <td className="board-preview-cell">
                    {board.preview ? (
                      // The picture opens the board too, for the mouse; keyboards have the Open link of the row.
                      <a href={boardPath} target="_blank" rel="noopener" tabIndex={-1}>
                        <BoardPreview address={board.preview} load={api.preview} alt={t('facilitate.previewAlt', { name })} />
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{board.team ? challengeTitle(board.team.challengeId) : '—'}</td>
                  <td>{board.team ? board.team.members.map((m) => m.pseudonym).join(', ') || '—' : '—'}</td>
                  <td data-testid="board-online">
                    <span className="online-count">{board.online.connections}</span>
                    {board.online.members.length > 0 && <span className="muted"> ({board.online.members.map((m) => m.pseudonym).join(', ')})</span>}
                  </td>
                  <td data-testid="board-shapes">
                    {board.shapes === null ? <span className="muted">{t('facilitate.shapesPending')}</span> : count(board.shapes, locale)}
                  </td>
                  <td>{board.lastActivity ? relativeTime(board.lastActivity, locale) : t('facilitate.neverEdited')}</td>
                  <td className={ratio >= SIZE_WARNING_RATIO ? 'size-warning' : undefined}>
                    {byteSize(board.size.bytes, locale)}
                    {ratio >= SIZE_WARNING_RATIO && <span className="size-warning-text"> {t('facilitate.sizeWarning', { percent: percent(ratio, locale) })}</span>}
                  </td>
                  <td className="console-lock-cell">
                    {locked && <span className="badge badge-locked">{t('console.locks.locked')}</span>}
                    <button
                      type="button"
                      className="secondary"
                      {...whileBusy(action.busy)}
                      aria-label={t(locked ? 'console.locks.unlockNamed' : 'console.locks.lockNamed', { name })}
                      onClick={() => void action.run(board.boardId, name, !locked)}
                    >
                      {t(locked ? 'console.locks.unlock' : 'console.locks.lock')}
                    </button>
                  </td>
                  <td>
                    {/* A new tab: the console stays open behind the board. */}
                    <a href={boardPath} target="_blank" rel="noopener">
                      <span aria-hidden="true">{t('facilitate.open')}</span>
                      <span className="visually-hidden">{t('facilitate.openNamed', { name })}</span>
                    </a>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </ConsoleSection>
  )
}
