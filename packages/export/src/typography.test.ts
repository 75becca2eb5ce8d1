import { describe, expect, test } from 'vitest'
import { plainText } from './richText.ts'
import { frenchSpacing, toWinAnsi } from './typography.ts'

describe('frenchSpacing', () => {
  test('non-breaking spaces before : ; ! ? », after «, typed with a space or without', () => {
    expect(frenchSpacing('Il a dit «oui» puis: non!')).toBe('Il a dit «\u00a0oui\u00a0» puis\u00a0: non\u202f!')
    expect(frenchSpacing('Pourquoi ? Parce que ; voilà')).toBe('Pourquoi\u202f? Parce que\u202f; voilà')
    expect(frenchSpacing(frenchSpacing('« déjà » : bon'))).toBe('«\u00a0déjà\u00a0»\u00a0: bon')
  })

  test('leaves links, times and ratios alone', () => {
    const text = 'https://data.gouv.fr/?q=bus à 10:30, ratio 3:2'
    expect(frenchSpacing(text)).toBe(text)
  })
})

describe('toWinAnsi', () => {
  test('keeps what Helvetica prints: French letters, guillemets, apostrophes, dashes, ellipsis, euro', () => {
    const french = 'Élève à l’œuvre, ça « marche » – déjà… 10 €'
    expect(toWinAnsi(french)).toBe(french)
  })

  test('replaces what it lacks with a look-alike, drops pictographs', () => {
    expect(toWinAnsi('a\u202f?')).toBe('a\u00a0?')
    expect(toWinAnsi('1ᵉʳ → ﬁn ≥ 2 ✔ 🚀 Łódź 中')).toBe('1er -> fin >= 2 v Lódz ?')
  })
})

describe('plainText', () => {
  test('paragraphs, hard breaks and lists of tldraw rich text become lines', () => {
    const richText = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Titre' }, { type: 'hardBreak' }, { type: 'text', text: 'suite', marks: [{ type: 'bold' }] }] },
        { type: 'paragraph' },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'un' }] }] },
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'deux' }] }] },
          ],
        },
        { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'trois' }] }] }] },
      ],
    }
    expect(plainText(richText)).toBe('Titre\nsuite\n\n- un\n- deux\n3. trois')
    expect(plainText({ type: 'doc', content: [{ type: 'paragraph' }] })).toBe('')
    expect(plainText('  texte brut ')).toBe('texte brut')
    expect(plainText(undefined)).toBe('')
  })
})
