import { describe, expect, test } from 'vitest'
import { keyBounds, parseValue, textOf } from './entryBytes.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('reading entries from their bytes', () => {
  // Every value is read as JSON.parse reads it, or refused as JSON.parse refuses it.
  const values = [
    '"plain"', '""', '"a\\"b"', '"\\u0041"', '"é"', `"${'long '.repeat(40)}"`, '0', '-0', '7', '-12', '123456789012345', '12345678901234567890',
    '1.5', '-0.25', '1e3', 'true', 'false', 'null', '{"a":[1,"x"]}', '[]', ' 7', '7 ',
  ]
  test.each(values)('%s', (value) => {
    const raw = bytes(value)
    const read = parseValue(raw, 0, raw.length)
    expect(read).toEqual(JSON.parse(value))
    expect(Object.is(read, JSON.parse(value)) || typeof read === 'object').toBe(true)
  })

  test.each(['tru', 'truee', 'nul', 'False', '"a\u0001b"', '01', '-', '1.', '.5', '"unterminated', '0x10', 'Infinity', '"\u001f"'])('refuses %j as JSON.parse does', (value) => {
    const raw = bytes(value)
    expect(() => JSON.parse(value)).toThrow()
    expect(() => parseValue(raw, 0, raw.length)).toThrow()
  })

  test('finds an entry\'s key and its last slash only in plain ASCII keys', () => {
    const bounds = (text: string) => {
      const found = keyBounds(bytes(text))
      return found === undefined ? undefined : [found >>> 16, found & 0xffff]
    }
    expect(bounds('["shape:a/x",1]')).toEqual([9, 11])
    expect(bounds('["shape:a/b/props.x",{}]')).toEqual([11, 19])
    for (const odd of ['["shape:a",1]', '[ "shape:a/x",1]', '["shape:\u0001/x",1]', '["shape:\u0001a/x",1]', '["shape:é/x",1]', '["shape:\\"a/x",1]', '["shape:a/x" ,1]', '["shape:a/x",1}']) {
      expect(bounds(odd), odd).toBeUndefined()
    }
  })

  test('decodes text, short or long, ASCII or not', () => {
    for (const text of ['shape:a/x', 'shape:é/x', 'x'.repeat(200), 'Œuvre '.repeat(30), '']) {
      const raw = bytes(`[${text}]`)
      expect(textOf(raw, 1, raw.length - 1)).toBe(text)
    }
  })
})
