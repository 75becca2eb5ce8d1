import { CloseCode, isValidBoardId, newBoardId } from '@fabrique/protocol'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { AssetStorage } from '../storage/assets.ts'
import type { BoardAccessPolicy } from '../sync/access.ts'
import { apiError } from './errors.ts'

export interface AssetRoutesOptions {
  assets: AssetStorage
  maxAssetBytes: number
  /** Who may add images to a board: those who may write on it (same rule and token as the sync endpoint). */
  boardAccess: BoardAccessPolicy
  /** Every board of the event this board belongs to (empty outside events), for the event's quota. */
  boardsOfSameEvent(boardId: string): Promise<string[]>
  maxEventAssetBytes: number
}

/** Images people drop on a board: what the first bytes must be for each accepted type. */
const signatures: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38,
  'image/webp': (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
}

export const ACCEPTED_IMAGE_TYPES = Object.keys(signatures)

export function assetRoutes({ assets, maxAssetBytes, boardAccess, boardsOfSameEvent, maxEventAssetBytes }: AssetRoutesOptions): Hono {
  const app = new Hono()
  const megabytes = Math.round(maxAssetBytes / 1024 / 1024)

  app.post(
    '/boards/:boardId/assets',
    bodyLimit({
      maxSize: maxAssetBytes,
      onError: (c) =>
        apiError(c, 413, 'asset_too_large', `Image trop lourde : ${megabytes} Mo au plus.`, `Image too large: ${megabytes} MB at most.`),
    }),
    async (c) => {
      const boardId = c.req.param('boardId')
      if (!isValidBoardId(boardId)) return apiError(c, 404, 'unknown_board', 'Tableau inconnu.', 'Unknown board.')
      const mimeType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      const matches = signatures[mimeType]
      if (!matches) {
        return apiError(c, 415, 'asset_type_refused', 'Seules les images PNG, JPEG, GIF et WebP sont acceptées.', 'Only PNG, JPEG, GIF and WebP images are accepted.')
      }
      const header = c.req.header('authorization') ?? ''
      const access = await boardAccess(boardId, header.startsWith('Bearer ') ? header.slice(7).trim() : undefined)
      if (access.kind === 'refuse') {
        const status = access.code === CloseCode.UnknownBoard ? 404 : access.code === CloseCode.BadToken ? 401 : 403
        return apiError(c, status, 'asset_refused', 'Vous ne pouvez pas ajouter d’image à ce tableau.', 'You cannot add images to this board.')
      }
      if (access.kind === 'read') {
        return apiError(c, 403, 'board_read_only', 'Ce tableau est en lecture seule : impossible d’y ajouter une image.', 'This board is read-only: no image can be added.')
      }
      const data = new Uint8Array(await c.req.arrayBuffer())
      if (data.byteLength === 0) return apiError(c, 400, 'asset_empty', 'Le fichier est vide.', 'The file is empty.')
      const siblings = await boardsOfSameEvent(boardId)
      if (siblings.length > 0) {
        const used = (await Promise.all(siblings.map((id) => assets.bytesForBoard(id)))).reduce((a, b) => a + b, 0)
        if (used + data.byteLength > maxEventAssetBytes) {
          const quota = Math.round(maxEventAssetBytes / 1024 / 1024)
          return apiError(c, 413, 'event_asset_quota', `Les images de l’événement dépassent ${quota} Mo : supprimez-en ou réduisez-les.`, `The event’s images exceed ${quota} MB: delete or shrink some.`)
        }
      }
      if (!matches(data)) {
        return apiError(c, 415, 'asset_content_mismatch', `Ce fichier n'est pas une image ${mimeType} valide.`, `This file is not a valid ${mimeType} image.`)
      }
      const id = newBoardId()
      await assets.put({ id, boardId, mimeType, data })
      return c.json({ id, url: `/api/assets/${id}` }, 201)
    },
  )

  app.get('/assets/:id', async (c) => {
    const id = c.req.param('id')
    const asset = isValidBoardId(id) ? await assets.get(id) : undefined
    if (!asset) return apiError(c, 404, 'unknown_asset', 'Image introuvable.', 'Image not found.')
    return c.body(asset.data as Uint8Array<ArrayBuffer>, 200, {
      'content-type': asset.mimeType,
      'content-length': String(asset.data.byteLength),
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    })
  })

  return app
}
