import {
  settingDefinitions,
  settingKeys,
  type ParsedInput,
  type SettingKey,
  type SettingValue,
  type SettingView,
} from '../contract'
import {
  deleteSetting,
  readSettings,
  writeSetting,
  type StoredSetting,
} from '../db/queries/settings'
import type { ServiceContext } from './context'
import { AppError } from './errors'
import { afterZoneChanged } from './risk'

function toView(key: SettingKey, stored: StoredSetting | undefined): SettingView {
  const definition = settingDefinitions[key]
  if (definition.secret) {
    return {
      key,
      secret: true,
      isSet: stored?.encryptedValue != null,
      description: definition.description,
    }
  }
  // A stored value that no longer fits its schema (an older build wrote it) falls back to the default.
  const parsed = stored ? definition.schema.safeParse(stored.value) : undefined
  return {
    key,
    secret: false,
    value: parsed?.success ? parsed.data : definition.default,
    isDefault: !parsed?.success,
    description: definition.description,
  }
}

export function listSettings(ctx: ServiceContext): SettingView[] {
  const stored = new Map(readSettings(ctx.journal).map((row) => [row.key, row]))
  return settingKeys.map((key) => toView(key, stored.get(key)))
}

export function getSetting(ctx: ServiceContext, input: ParsedInput<'settings.get'>): SettingView {
  return listSettings(ctx).find((view) => view.key === input.key) as SettingView
}

/** The effective value of a non-secret setting, for services that depend on one. */
export function settingValue<K extends SettingKey>(ctx: ServiceContext, key: K): SettingValue<K> {
  const view = getSetting(ctx, { key })
  return (view.secret ? settingDefinitions[key].default : view.value) as SettingValue<K>
}

export function setSetting(ctx: ServiceContext, input: ParsedInput<'settings.set'>): SettingView {
  const { key } = input
  const definition = settingDefinitions[key]
  const parsed = definition.schema.safeParse(input.value)
  const clearsSecret = definition.secret && input.value === ''
  if (!parsed.success && !clearsSecret) {
    throw new AppError(
      'invalid_input',
      `${key}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
      parsed.error.issues.map((issue) => ({
        path: ['value', ...issue.path].join('.'),
        message: issue.message,
      })),
    )
  }
  if (definition.secret) {
    if (!ctx.secrets) {
      const why =
        ctx.host === 'electron'
          ? `this system offers no keychain Blotter trusts (on Linux: GNOME Keyring or KWallet)`
          : `only the desktop app can store it, encrypted with the operating system's keychain; ` +
            `browser mode and the CLI never store secrets`
      throw new AppError('unavailable', `${key} is a secret: ${why}.`)
    }
    const secrets = ctx.secrets
    ctx.journal.write((tx) => {
      if (clearsSecret) deleteSetting(tx, key)
      else {
        const encryptedValue = secrets.encrypt(String(parsed.data))
        writeSetting(tx, { key, value: null, isSecret: true, encryptedValue })
      }
    })
  } else {
    // Days are calendar days in the journal's zone: every daily figure moves with it.
    const movesDays =
      key === 'journal.timezone' && parsed.data !== settingValue(ctx, 'journal.timezone')
    ctx.journal.write((tx) => {
      writeSetting(tx, { key, value: parsed.data, isSecret: false, encryptedValue: null })
      if (movesDays) afterZoneChanged(ctx.journal.sqlite)
    })
  }
  return getSetting(ctx, { key })
}
