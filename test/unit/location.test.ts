import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveJournalPath, userDataDir } from '../../db/location'

describe('where the journal lives', () => {
  it('matches Electron’s userData folder on each platform', () => {
    expect(userDataDir('linux', {}, '/home/t')).toBe('/home/t/.config/Blotter')
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/t')).toBe('/x/Blotter')
    expect(userDataDir('darwin', {}, '/Users/t')).toBe(
      '/Users/t/Library/Application Support/Blotter',
    )
    expect(userDataDir('win32', { APPDATA: 'C:/Users/t/AppData/Roaming' }, 'C:/Users/t')).toBe(
      join('C:/Users/t/AppData/Roaming', 'Blotter'),
    )
  })

  it('prefers --db, then BLOTTER_DB, then the per-user file', () => {
    expect(resolveJournalPath('/a.db', { BLOTTER_DB: '/b.db' })).toBe('/a.db')
    expect(resolveJournalPath(undefined, { BLOTTER_DB: '/b.db' })).toBe('/b.db')
    expect(resolveJournalPath(undefined, { XDG_CONFIG_HOME: '/x' })).toMatch(/Blotter.blotter\.db$/)
  })
})
