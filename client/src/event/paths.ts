import type { Role } from './api.ts'

/** Browser tests open pages with `?e2e=1`; the pages they lead to keep it (the board then exposes its editor). */
function withTestFlag(path: string, params: URLSearchParams): string {
  if (new URLSearchParams(location.search).has('e2e')) params.set('e2e', '1')
  const query = params.toString()
  return query ? `${path}?${query}` : path
}

const id = encodeURIComponent

export const paths = {
  newEvent: () => withTestFlag('/organiser/new', new URLSearchParams()),
  organise: (eventId: string) => withTestFlag(`/e/${id(eventId)}/organise`, new URLSearchParams()),
  poster: (eventId: string) => withTestFlag(`/e/${id(eventId)}/poster`, new URLSearchParams()),
  facilitate: (eventId: string) => withTestFlag(`/e/${id(eventId)}/facilitate`, new URLSearchParams()),
  jury: (eventId: string) => withTestFlag(`/e/${id(eventId)}/jury`, new URLSearchParams()),
  /** Project sheets and the full bundle with pictures (client/src/export). */
  exportSheets: (eventId: string) => withTestFlag(`/e/${id(eventId)}/export`, new URLSearchParams()),
  join: (code: string) => withTestFlag(`/join/${id(code)}`, new URLSearchParams()),
  /**
   * A board of an event, opened with the token this browser keeps for `as` (never in the address:
   * the link can be shared without sharing who one is). `view` opens it read-only.
   */
  board: (eventId: string, boardId: string, options: { as: Role; view?: boolean }) => {
    const params = new URLSearchParams({ as: options.as })
    if (options.view) params.set('view', '1')
    return withTestFlag(`/e/${id(eventId)}/b/${id(boardId)}`, params)
  },
}
