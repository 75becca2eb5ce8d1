import { type BoardBinding, bindBoard } from '@fabrique/board'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type TLShape, type TLStore } from 'tldraw'
import { connectClient, type TestClient } from './clients.ts'

export interface BoardClient extends TestClient {
  store: TLStore
  binding: BoardBinding
  shapes(): TLShape[]
}

/** A participant's canvas without the browser: a real tldraw store bound to a real provider. */
export function connectBoardClient(syncUrl: string, boardId: string, token?: string): BoardClient {
  const client = connectClient(syncUrl, boardId, token ? { params: { token } } : {})
  const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  const binding = bindBoard({ store, doc: client.doc })
  const synced = client.synced.then(() => binding.start())
  return {
    ...client,
    synced,
    store,
    binding,
    shapes: () => store.query.records('shape').get(),
    destroy() {
      binding.dispose()
      client.destroy()
    },
  }
}
