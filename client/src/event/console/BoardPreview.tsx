import { useEffect, useState } from 'react'

interface BoardPreviewProps {
  /** The preview's address from the board card; it changes whenever the board does. */
  address: string
  load(address: string): Promise<string>
  alt: string
}

/**
 * A board's small picture. The API wants the console's token, which an <img> cannot send: the SVG
 * is fetched, then shown as a data: address (a few kilobytes; the page's policy allows data: images).
 * The previous picture stays until the next one is in, so the table does not flicker on refreshes,
 * and an unchanged board keeps its address and is not fetched again.
 */
export function BoardPreview({ address, load, alt }: BoardPreviewProps) {
  const [shown, setShown] = useState<string | undefined>()

  useEffect(() => {
    let cancelled = false
    load(address).then(
      (svg) => {
        if (!cancelled) setShown(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`)
      },
      () => {
        // The picture is a convenience: the row says everything else, and the next change tries again.
      },
    )
    return () => {
      cancelled = true
    }
  }, [address, load])

  return shown ? (
    <img className="board-preview" src={shown} alt={alt} width={160} height={100} />
  ) : (
    <span className="board-preview board-preview-empty" role="img" aria-label={alt} />
  )
}
