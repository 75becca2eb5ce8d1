import { describe, expect, it } from 'vitest'
import type { TLShapeId } from 'tldraw'
import { plainText, sectionAt } from './outlineModel.ts'

describe('plainText', () => {
  it('reads a note’s rich text as lines', () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Accueil ' }, { type: 'text', text: 'sans rendez-vous', marks: [{ type: 'bold' }] }] },
        { type: 'paragraph' },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'un' }] }] }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
      ],
    }
    expect(plainText(doc)).toBe('Accueil sans rendez-vous\n\nun\na\nb')
    expect(plainText(undefined)).toBe('')
  })
})

describe('sectionAt', () => {
  const big = { id: 'shape:big' as TLShapeId, bounds: { x: 0, y: 0, w: 1000, h: 1000 } }
  const small = { id: 'shape:small' as TLShapeId, bounds: { x: 100, y: 100, w: 200, h: 200 } }

  it('finds the section a point falls in, the smallest when they overlap', () => {
    expect(sectionAt([big, small], { x: 150, y: 150 })?.id).toBe('shape:small')
    expect(sectionAt([big, small], { x: 500, y: 500 })?.id).toBe('shape:big')
    expect(sectionAt([big, small], { x: -1, y: 500 })).toBeUndefined()
  })
})
