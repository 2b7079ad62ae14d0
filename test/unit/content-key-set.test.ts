import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ContentKeySet, contentKeyOf } from '../../db/queries/fills'

describe('ContentKeySet', () => {
  it('answers as a Set of the key strings would, through its growth', () => {
    const key = fc
      .tuple(fc.string({ maxLength: 12 }), fc.integer({ min: -(2 ** 41), max: 2 ** 41 }), fc.nat(3))
      .map(([content, at, occurrence]) => contentKeyOf(content, at, occurrence))
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), key), { maxLength: 3000 }),
        fc.array(key, { maxLength: 200 }),
        (operations, probes) => {
          const set = new ContentKeySet()
          const reference = new Set<string>()
          for (const [adding, k] of operations) {
            if (adding) {
              set.add(k)
              reference.add(k)
            }
            expect(set.has(k)).toBe(reference.has(k))
          }
          for (const k of [...probes, ...reference]) expect(set.has(k)).toBe(reference.has(k))
        },
      ),
      { numRuns: 50 },
    )
  })

  it('holds 20,000 keys, every one found and no other', () => {
    const set = new ContentKeySet()
    for (let i = 0; i < 20_000; i++) set.add(contentKeyOf(`fill ${i}`, 1_700_000_000_000 + i, 0))
    for (let i = 0; i < 20_000; i++) {
      expect(set.has(contentKeyOf(`fill ${i}`, 1_700_000_000_000 + i, 0))).toBe(true)
      expect(set.has(contentKeyOf(`fill ${i}`, 1_700_000_000_000 + i, 1))).toBe(false)
    }
  })
})
