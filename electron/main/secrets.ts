import { safeStorage } from 'electron'
import type { SecretStore } from '../../services'

/**
 * Secrets (the Postgres URL) encrypted with the OS keychain, or null when there is no real one;
 * services then refuse secrets instead of storing them weakly. Call after `ready`: before it,
 * Linux reports no encryption and an 'unknown' backend.
 *
 * Uses the sync API because SecretStore is sync. Electron 45 marks encryptString/decryptString
 * deprecated in favour of the async pair; moving to it means making SecretStore async first.
 */
export function createSecretStore(): SecretStore | null {
  const refusal = whyUnavailable()
  if (refusal) {
    console.warn(`[secrets] not stored on this machine: ${refusal}`)
    return null
  }
  return {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (encrypted) => safeStorage.decryptString(encrypted),
  }
}

function whyUnavailable(): string | null {
  if (!safeStorage.isEncryptionAvailable()) return 'the OS keychain is not available'
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend()
    // basic_text encrypts with a password hard-coded in Chromium: no protection at all.
    if (backend === 'basic_text' || backend === 'unknown') {
      return `no keyring service (backend "${backend}"); install gnome-keyring or KWallet`
    }
  }
  return null
}
