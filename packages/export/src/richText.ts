/** A node of tldraw's rich text (TipTap / ProseMirror JSON). */
interface RichNode {
  type?: unknown
  text?: unknown
  content?: unknown
  attrs?: unknown
}

const isNode = (value: unknown): value is RichNode => typeof value === 'object' && value !== null && !Array.isArray(value)

const children = (node: RichNode): RichNode[] => (Array.isArray(node.content) ? node.content.filter(isNode) : [])

function inline(node: RichNode): string {
  if (node.type === 'text') return typeof node.text === 'string' ? node.text : ''
  if (node.type === 'hardBreak') return '\n'
  return children(node).map(inline).join('')
}

/** Lines of a block, list items prefixed so that the list survives as plain text. */
function blocks(node: RichNode, depth: number): string[] {
  switch (node.type) {
    case 'bulletList':
    case 'orderedList': {
      const ordered = node.type === 'orderedList'
      const attrs = isNode(node.attrs) ? (node.attrs as { start?: unknown }) : {}
      const start = typeof attrs.start === 'number' ? attrs.start : 1
      return children(node).flatMap((item, i) => {
        const [first = '', ...rest] = children(item).flatMap((child) => blocks(child, depth + 1))
        const indent = '  '.repeat(depth)
        const marker = ordered ? `${start + i}.` : '-'
        return [`${indent}${marker} ${first.trimStart()}`, ...rest]
      })
    }
    case 'paragraph':
    case 'heading':
    case 'codeBlock':
    case 'blockquote':
      return node.type === 'blockquote' ? children(node).flatMap((child) => blocks(child, depth)) : [inline(node)]
    default:
      return children(node).some((child) => child.type === 'text' || child.type === 'hardBreak')
        ? [inline(node)]
        : children(node).flatMap((child) => blocks(child, depth))
  }
}

/**
 * The plain text of a note, one line per paragraph; a plain string (older records) is kept as is.
 * Blank lines at both ends are dropped.
 */
export function plainText(richText: unknown): string {
  if (typeof richText === 'string') return richText.trim()
  if (!isNode(richText)) return ''
  const lines = richText.type === 'doc' ? blocks(richText, 0) : [inline(richText)]
  return lines.join('\n').trim()
}
