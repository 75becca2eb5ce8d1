import { useId } from 'react'
import { useLocale } from '../../i18n.tsx'
import type { BoardChoice, BoardOption } from './boards.ts'
import { ConsoleError } from './ConsoleSection.tsx'

/** The boards asked for by a choice, for the API: undefined means every board of the event. */
export function chosenBoardIds(choice: BoardChoice, boards: readonly BoardOption[]): string[] | undefined {
  if (choice.all) return undefined
  const known = choice.chosen.filter((id) => boards.some((board) => board.boardId === id))
  if (known.length === 0) throw new ConsoleError('console.boards.noneChosen')
  return known
}

/** "All boards" or a set of ticked boards (team boards and the plenary). */
export function BoardPicker({ boards, value, onChange }: { boards: readonly BoardOption[]; value: BoardChoice; onChange(next: BoardChoice): void }) {
  const { t } = useLocale()
  const name = useId()
  const toggle = (boardId: string, on: boolean) =>
    onChange({ all: false, chosen: on ? [...value.chosen, boardId] : value.chosen.filter((id) => id !== boardId) })
  return (
    <fieldset className="console-fieldset">
      <legend>{t('console.boards.legend')}</legend>
      <div className="checkbox">
        <input type="radio" id={`${name}-all`} name={name} checked={value.all} onChange={() => onChange({ ...value, all: true })} />
        <label htmlFor={`${name}-all`}>{t('console.boards.all', { count: boards.length })}</label>
      </div>
      <div className="checkbox">
        <input type="radio" id={`${name}-some`} name={name} checked={!value.all} onChange={() => onChange({ ...value, all: false })} />
        <label htmlFor={`${name}-some`}>{t('console.boards.some')}</label>
      </div>
      {!value.all && (
        <ul className="plain-list console-board-choices">
          {boards.map((board) => (
            <li key={board.boardId} className="checkbox">
              <input
                type="checkbox"
                id={`${name}-${board.boardId}`}
                checked={value.chosen.includes(board.boardId)}
                onChange={(event) => toggle(board.boardId, event.target.checked)}
              />
              <label htmlFor={`${name}-${board.boardId}`}>{board.name}</label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  )
}
