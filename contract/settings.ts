import { z } from 'zod'
import { isTimeZone } from '../core/time'

/**
 * Every setting Blotter knows: its value schema, its default, and whether it is a secret.
 * Secrets are stored encrypted with the OS keychain (Electron safeStorage) and never returned.
 */
export const settingDefinitions = {
  'ui.theme': {
    schema: z.enum(['system', 'light', 'dark']),
    default: 'system',
    secret: false,
    description: 'Colour theme of the app',
  },
  'journal.timezone': {
    schema: z.string().refine(isTimeZone, { message: 'must be an IANA time zone, e.g. UTC' }),
    default: 'UTC',
    secret: false,
    description: 'Zone that decides which calendar day a trade belongs to',
  },
  'journal.baseCurrency': {
    schema: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code, e.g. USD'),
    default: 'USD',
    secret: false,
    description: 'Currency new accounts start in',
  },
  'backup.intervalMinutes': {
    schema: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    default: 15,
    secret: false,
    description: 'Minutes between automatic backups in the desktop app (0 = off)',
  },
  'sync.postgresUrl': {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL'),
    default: '',
    secret: true,
    description: 'Postgres server the journal syncs with',
  },
} as const satisfies Record<
  string,
  { schema: z.ZodType; default: unknown; secret: boolean; description: string }
>

export type SettingKey = keyof typeof settingDefinitions
export const settingKeys = Object.keys(settingDefinitions) as [SettingKey, ...SettingKey[]]
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingDefinitions)[K]['schema']>

/** How a setting crosses the contract: secrets only say whether they are set. */
export type SettingView =
  | { key: SettingKey; secret: false; value: unknown; isDefault: boolean; description: string }
  | { key: SettingKey; secret: true; isSet: boolean; description: string }
