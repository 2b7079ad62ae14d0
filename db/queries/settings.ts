import { eq, sql } from 'drizzle-orm'
import type { Journal, WriteTx } from '../open'
import { live } from '../live'
import { systemSettings } from '../schema'

export interface StoredSetting {
  key: string
  value: unknown
  isSecret: boolean
  encryptedValue: Buffer | null
}

export function readSettings(journal: Journal): StoredSetting[] {
  return journal.orm
    .select({
      key: systemSettings.key,
      value: systemSettings.value,
      isSecret: systemSettings.isSecret,
      encryptedValue: systemSettings.encryptedValue,
    })
    .from(systemSettings)
    .where(live(systemSettings))
    .all()
}

export function readSetting(journal: Journal, key: string): StoredSetting | undefined {
  return readSettings(journal).find((row) => row.key === key)
}

/** Inserts or replaces a setting; a previously soft-deleted key comes back to life. */
export function writeSetting(tx: WriteTx, setting: StoredSetting): void {
  tx.insert(systemSettings)
    .values({
      key: setting.key,
      value: setting.value,
      isSecret: setting.isSecret,
      encryptedValue: setting.encryptedValue,
    })
    .onConflictDoUpdate({
      target: systemSettings.key,
      set: {
        value: setting.value,
        isSecret: setting.isSecret,
        encryptedValue: setting.encryptedValue,
        deletedAt: null,
        version: sql`${systemSettings.version} + 1`,
      },
    })
    .run()
}

/** Soft-deletes a setting; a secret's ciphertext is wiped, not kept in the tombstone. */
export function deleteSetting(tx: WriteTx, key: string): void {
  tx.update(systemSettings)
    .set({ deletedAt: Date.now(), encryptedValue: null })
    .where(live(systemSettings, eq(systemSettings.key, key)))
    .run()
}
