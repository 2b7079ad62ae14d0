/**
 * The journal's schema: every table, one file per domain. drizzle-kit reads this file
 * (db/drizzle.config.ts); db/triggers.ts derives the triggers from `journalTables`.
 */
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { accounts, cashTransactions, exchangeConnections } from './accounts'
import { companyInfo, institutionalHolders, keyStatistics } from './fundamentals'
import { instruments } from './instruments'
import { attachments, notes, positionTags, tags } from './journal'
import { auditLog, performanceLogs, systemLogs, tradingLogs } from './logs'
import {
  marketData,
  orderBook,
  technicalIndicators,
  technicalIndicatorsLatest,
  volumeProfile,
} from './market'
import { notificationConfigs, notifications } from './notifications'
import { performanceMetrics, portfolioSummary } from './performance'
import { riskEvents, riskLimits, riskMetrics, riskProfiles } from './risk'
import { systemSettings } from './settings'
import {
  backtests,
  strategies,
  strategyPerformance,
  strategySignals,
  strategyVersions,
} from './strategies'
import { importBatches, orders, positions, trades } from './trading'
import { apiKeys, userSessions, users } from './users'

export * from './accounts'
export * from './fundamentals'
export * from './instruments'
export * from './journal'
export * from './logs'
export * from './market'
export * from './notifications'
export * from './performance'
export * from './risk'
export * from './settings'
export * from './strategies'
export * from './trading'
export * from './users'

/** Every table of the journal, parents before children. */
export const journalTables: readonly SQLiteTable[] = [
  users,
  userSessions,
  apiKeys,
  accounts,
  cashTransactions,
  exchangeConnections,
  instruments,
  strategies,
  strategyVersions,
  importBatches,
  orders,
  trades,
  positions,
  strategySignals,
  strategyPerformance,
  backtests,
  tags,
  positionTags,
  notes,
  attachments,
  riskProfiles,
  riskLimits,
  riskEvents,
  riskMetrics,
  performanceMetrics,
  portfolioSummary,
  marketData,
  volumeProfile,
  orderBook,
  technicalIndicators,
  technicalIndicatorsLatest,
  companyInfo,
  keyStatistics,
  institutionalHolders,
  notificationConfigs,
  notifications,
  systemLogs,
  tradingLogs,
  performanceLogs,
  auditLog,
  systemSettings,
]
