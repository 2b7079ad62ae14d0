import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { StrategyDetail } from '../../contract'
import type { BrowserServer } from '../../server/index'
import { fileInput, mixedTradesCsv } from './data'
import { call, expect, openApp, screenshotDir, settled, testOnOwnJournal as test } from './support'

/**
 * A losing MSFT round trip of Swing closed today (UTC, the journal's default zone), so today's
 * daily-loss utilization has something to show: 100 × (46 − 50) = −400 gross, 2 × 1.00 fees,
 * net −402.00. Near midnight the trade is moved to just after it, never to yesterday.
 */
function todayLossCsv(): string {
  const now = Date.now()
  const dayStart = now - (now % 86_400_000)
  const open = Math.max(dayStart + 1_000, now - 120_000)
  const at = (ms: number) => new Date(ms).toISOString()
  return [
    'time,account,symbol,side,quantity,price,fee,asset_class',
    `${at(open)},Swing,MSFT,buy,100,50,1.00,stock`,
    `${at(open + 30_000)},Swing,MSFT,sell,100,46,1.00,stock`,
    '',
  ].join('\n')
}

const today = new Date().toISOString().slice(0, 10)

/**
 * A backtest of the MSFT strategy as a round-trip CSV, on the day of the live MSFT trade:
 * 50 × (410 − 400) − 2 = 498.00 and 50 × (405 − 410) − 2 = −252.00, so net 246.00 over two
 * trades, one a win (win rate 50.0%).
 */
const backtestCsv = `symbol,side,entry_time,exit_time,quantity,entry_price,exit_price,fees
MSFT,long,2026-03-04T14:35:00Z,2026-03-04T15:10:00Z,50,400,410,2
MSFT,long,2026-03-04T16:00:00Z,2026-03-04T17:30:00Z,50,410,405,2
`

// Each test has its own journal with these trades and arranges anything else it reads itself,
// so any one of them runs alone (-g).
test.beforeEach(async ({ server }) => {
  // Swing: MSFT 2026-03-04 net −374.50 (the mixed file) and MSFT today net −402.00.
  const { files } = await call(server, 'import.files', {
    files: [fileInput('mixed.csv', mixedTradesCsv), fileInput('today.csv', todayLossCsv())],
  })
  expect(files.map((file) => file.status)).toEqual(['imported', 'imported'])
})

/**
 * Opening range as the first test leaves it through the form, made through the contract: v1
 * created, v2 a config assigning MSFT, v3 a third checklist rule, its rules applied to Swing's
 * two MSFT round trips.
 */
async function arrangeOpeningRange(server: BrowserServer): Promise<StrategyDetail> {
  const created = await call(server, 'strategies.create', {
    name: 'Opening range',
    type: 'systematic',
    description: 'Breakout of the first 30 minutes, with volume.',
    tags: ['momentum', 'morning'],
    rules: ['Price above VWAP', 'Stop below the range'],
  })
  const configured = await call(server, 'strategies.update', {
    strategy: created.id,
    version: created.version,
    config: { assignment: [{ symbol: 'MSFT' }], risk: 1 },
    changeNote: 'Only MSFT',
  })
  const strategy = await call(server, 'strategies.update', {
    strategy: created.id,
    version: configured.version,
    rules: ['Price above VWAP', 'Stop below the range', 'Volume rising'],
  })
  const applied = await call(server, 'strategies.applyRules', { strategy: created.id })
  expect(applied.assigned).toBe(2)
  return strategy
}

/** Old idea, archived: what the archiving test leaves behind. */
async function arrangeArchivedStrategy(server: BrowserServer): Promise<void> {
  const { id } = await call(server, 'strategies.create', { name: 'Old idea', type: 'hybrid' })
  await call(server, 'strategies.archive', { strategy: id })
}

/**
 * Swing's daily loss limit for the screenshots: set at 450 (a warning for each losing day, ≥ 80 %
 * of 450), both warnings acknowledged, then lowered to 300 (both days now breach it).
 */
async function arrangeSwingDailyLoss(server: BrowserServer): Promise<void> {
  const limit = { account: 'Swing', type: 'daily_loss', warnAtPercent: 80 } as const
  const first = await call(server, 'risk.setLimit', { ...limit, value: '450' })
  expect(first.newEvents).toBe(2)
  const { rows } = await call(server, 'risk.events', { account: 'Swing' })
  await call(server, 'risk.acknowledge', { ids: rows.map((event) => event.id) })
  const lowered = await call(server, 'risk.setLimit', { ...limit, value: '300' })
  expect(lowered.newEvents).toBe(2)
}

test('a strategy created through the form, its config versioned, its rules applied', async ({
  page,
  server,
}) => {
  await openApp(page, server, '/strategies')
  await expect(page.getByText('No strategies yet — create one below.')).toBeVisible()
  await picture(page, 'strategies-empty-light')

  const create = page.getByRole('form', { name: 'New strategy' })
  await create.getByRole('button', { name: 'Create strategy' }).click()
  await expect(create.getByLabel('Name')).toHaveAccessibleDescription('Give the strategy a name.')

  await create.getByLabel('Name').fill('Opening range')
  await create.getByLabel('Type').selectOption('systematic')
  await create.getByLabel('Description').fill('Breakout of the first 30 minutes, with volume.')
  await create.getByLabel('Tags').fill('momentum, morning')
  await create.getByLabel('Rules checklist').fill('Price above VWAP\n\nStop below the range\n')
  await create.getByRole('button', { name: 'Create strategy' }).click()

  const item = page.getByTestId('strategy-item')
  await expect(item).toHaveCount(1)
  await expect(item).toContainText('Opening range')
  await expect(item).toContainText('Systematic · 0 trades')
  await expect(item).toHaveAttribute('aria-current', 'true')
  await expect(page.getByRole('heading', { level: 2, name: 'Opening range' })).toBeVisible()
  await expect(page.getByTestId('strategy-status')).toHaveText('Active')
  const checklist = page.getByRole('region', { name: 'Rules checklist' })
  await expect(checklist.getByRole('listitem')).toHaveText([
    'Price above VWAP',
    'Stop below the range',
  ])
  await expect(page.getByRole('list', { name: 'Tags' }).getByRole('listitem')).toHaveText([
    'momentum',
    'morning',
  ])
  const versions = page.getByTestId('version-row')
  await expect(versions).toHaveCount(1)
  await expect(versions.first()).toContainText('Created')
  await expect(page.getByRole('button', { name: 'Apply rules' })).toBeDisabled()

  // A name already taken is refused beside the name field.
  await page.getByRole('button', { name: 'New strategy' }).click()
  await create.getByLabel('Name').fill('opening RANGE')
  await create.getByRole('button', { name: 'Create strategy' }).click()
  await expect(create.getByLabel('Name')).toHaveAccessibleDescription(/already exists/)
  await create.getByRole('button', { name: 'Cancel' }).click()

  // Bad JSON says where, and cannot be saved.
  const config = page.getByLabel('Config JSON')
  const save = page.getByRole('button', { name: 'Save config' })
  await config.fill('{\n  "assignment": [{"symbol": "MSFT"}]\n  "risk": 1\n}')
  await expect(config).toHaveAccessibleDescription(/^Line 3, column 3: expected ','/)
  await expect(config).toHaveAttribute('aria-invalid', 'true')
  await expect(save).toBeDisabled()
  await page.getByRole('button', { name: 'Show the problem in the editor' }).click()
  await expect(config).toBeFocused()
  expect(await config.evaluate((area: HTMLTextAreaElement) => area.selectionStart)).toBe(41)

  // A rule the host refuses comes back with its path.
  await config.fill('{"assignment": [{"side": "both"}]}')
  await save.click()
  await expect(
    page.getByRole('alert').filter({ hasText: 'Could not save the config' }),
  ).toContainText('assignment.0.side')

  await config.fill('{\n  "assignment": [{"symbol": "MSFT"}],\n  "risk": 1\n}')
  await page.getByLabel('Change note').fill('Only MSFT')
  await save.click()
  await expect(page.getByText('Saved as version 2')).toBeVisible()
  await expect(versions).toHaveCount(2)
  // Newest first: v2 is current and says what changed.
  await expect(versions.first()).toContainText('v2')
  await expect(versions.first()).toContainText('current')
  await expect(versions.first()).toContainText('config: assignment added, risk added')
  await expect(versions.first()).toContainText('Only MSFT')
  await expect(versions.nth(1)).toContainText('v1')

  // Editing the checklist writes a version too.
  await checklist.getByRole('button', { name: 'Edit checklist' }).click()
  await checklist.getByLabel('Rules').fill('Price above VWAP\nStop below the range\nVolume rising')
  await checklist.getByRole('button', { name: 'Save checklist' }).click()
  await expect(checklist.getByRole('listitem')).toHaveCount(3)
  await expect(versions).toHaveCount(3)
  await expect(versions.first()).toContainText('checklist: 1 added')

  // Swing's two MSFT round trips match the rule: −374.50 and −402.00.
  await expect(page.getByTestId('assignment-rules')).toHaveText('symbol MSFT')
  await page.getByRole('button', { name: 'Apply rules' }).click()
  await expect(page.getByTestId('apply-result')).toHaveText('2 trades assigned.')
  await settled(page)
  await expect(item).toContainText('2 trades')
  // −374.50 + −402.00 = −776.50 over 2 trades, no win; expectancy −776.50 / 2 = −388.25.
  await expect(page.getByTestId('stat-netPnl')).toHaveText('-776.50')
  await expect(page.getByTestId('stat-trades')).toHaveText('2')
  await expect(page.getByTestId('stat-winRate')).toHaveText('0.0%')
  await expect(page.getByTestId('stat-expectancy')).toHaveText('-388.25')
  await expect(item).toContainText('-776.50')
})

test('a backtest imported beside the strategy and compared with its live trades', async ({
  page,
  server,
}) => {
  await arrangeOpeningRange(server)
  await openApp(page, server, '/strategies')
  await settled(page)
  await expect(page.getByRole('heading', { level: 2, name: 'Opening range' })).toBeVisible()
  await expect(page.getByText(/No backtests yet/)).toBeVisible()

  await page.getByLabel('Backtest file').setInputFiles({
    name: 'orb-2026.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(backtestCsv),
  })
  await page.getByRole('button', { name: 'Import backtest' }).click()
  await expect(page.getByText('Imported orb-2026.csv: 2 round trips.')).toBeVisible()
  const row = page.getByTestId('backtest-row')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('2026-03-04 – 2026-03-04')
  await expect(row).toContainText('+246.00')
  await expect(row).toContainText('50.0%')

  await row.getByRole('button', { name: 'Compare orb-2026.csv with the live trades' }).click()
  const comparison = page.getByTestId('comparison')
  // Live in the backtest's period (2026-03-04): the one MSFT trade, −374.50.
  // Differences live − backtest: −374.50 − 246.00 = −620.50; 1 − 2 = −1; 0% − 50% = −50.0 pp.
  const figure = (name: string) =>
    comparison.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) })
  await expect(figure('Net P&L')).toHaveText(['Net P&L246.00-374.50-620.50'])
  await expect(figure('Trades')).toHaveText(['Trades21-1'])
  await expect(figure('Win rate')).toHaveText(['Win rate50.0%0.0%-50.0 pp'])
})

test('archiving asks first, and an archived strategy can be shown again', async ({
  page,
  server,
}) => {
  await call(server, 'strategies.create', { name: 'Opening range', type: 'systematic' })
  await call(server, 'strategies.create', { name: 'Old idea', type: 'hybrid' })
  await openApp(page, server, '/strategies')
  await settled(page)
  await page.getByTestId('strategy-item').filter({ hasText: 'Old idea' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Old idea' })).toBeVisible()

  await page.getByRole('button', { name: 'Archive…' }).click()
  const ask = page.getByRole('group', { name: 'Archive Old idea?' })
  await expect(ask.getByRole('button', { name: 'Archive strategy' })).toBeFocused()
  await ask.screenshot({ path: join(screenshotDir, 'strategy-archive-prompt.png') })
  await ask.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('strategy-status')).toHaveText('Active')

  await page.getByRole('button', { name: 'Archive…' }).click()
  await ask.getByRole('button', { name: 'Archive strategy' }).click()
  await expect(page.getByTestId('strategy-status')).toHaveText('Archived')
  await expect(page.getByRole('button', { name: 'Reactivate' })).toBeVisible()

  // Archived strategies leave the list unless asked for.
  await openApp(page, server, '/strategies')
  await settled(page)
  const items = page.getByTestId('strategy-item')
  await expect(items).toHaveCount(1)
  await page.getByLabel('Show archived (1)').check()
  await expect(items).toHaveCount(2)
})

test('a daily loss limit set through the form: events, utilization, acknowledgement', async ({
  page,
  server,
}) => {
  await openApp(page, server, '/risk')
  await settled(page)
  await expect(page.getByText('No risk limits yet — add one below.')).toBeVisible()
  await expect(page.getByText(/No risk events/)).toBeVisible()
  await picture(page, 'risk-empty-light')

  const form = page.getByRole('form', { name: 'New limit' })
  await form.getByLabel('Account').fill('')
  await form.getByLabel('Value').fill('-5')
  await form.getByLabel('Warn at').fill('120')
  await form.getByRole('button', { name: 'Save limit' }).click()
  await expect(form.getByLabel('Account')).toHaveAccessibleDescription(/Which account/)
  await expect(form.getByLabel('Value')).toHaveAccessibleDescription(/A positive number/)
  await expect(form.getByLabel('Warn at')).toHaveAccessibleDescription(/from 1 to 99/)

  // The host knows no such account: said beside the field.
  await form.getByLabel('Account').fill('Nope')
  await form.getByLabel('Value').fill('300')
  await form.getByLabel('Warn at').fill('80')
  await form.getByRole('button', { name: 'Save limit' }).click()
  await expect(form.getByLabel('Account')).toHaveAccessibleDescription('No account Nope')

  // 300 a day: 2026-03-04 lost 374.50 and today 402.00, both breaches.
  await form.getByLabel('Account').fill('Swing')
  await expect(form.getByLabel('Limit')).toHaveValue('daily_loss')
  await form.getByRole('button', { name: 'Save limit' }).click()
  await expect(page.getByText('Added: Daily loss of Swing — 2 new events')).toBeVisible()

  const limit = page.getByTestId('limit-row')
  await expect(limit).toHaveCount(1)
  await expect(limit).toContainText('Daily loss')
  await expect(limit).toContainText('300.00')
  await expect(limit).toContainText('80 %')
  await expect(limit).toContainText('Over limit')
  // Today 402.00 of 300.00 = 1.34.
  const meter = limit.getByRole('meter', { name: "Today's use of the daily loss limit of Swing" })
  await expect(meter).toHaveAttribute('aria-valuenow', '134')
  await expect(meter).toHaveAttribute('aria-valuetext', '134.0%: 402.00 of 300.00')
  await expect(meter).toHaveClass(/risk-meter-breach/)

  const events = page.getByTestId('risk-event')
  await expect(events).toHaveCount(2)
  const todays = events.filter({ hasText: today })
  await expect(todays).toContainText('Breach')
  await expect(todays).toContainText('402.00')
  await expect(events.filter({ hasText: '2026-03-04' })).toContainText('374.50')

  // Acknowledging one, then the unacknowledged filter shows only the other.
  await todays.getByRole('button', { name: /^Acknowledge the breach/ }).click()
  await expect(todays).toContainText('Acknowledged')
  await page.getByLabel('Unacknowledged only').check()
  await expect(events).toHaveCount(1)
  await expect(events).toContainText('2026-03-04')
  await events.getByRole('button', { name: /^Acknowledge/ }).click()
  await expect(page.getByText('Nothing left to acknowledge.')).toBeVisible()

  // Editing raises the limit above today's loss: amber from 80 % (402 / 450 = 0.8933).
  await limit.getByRole('button', { name: 'Edit the daily loss limit of Swing' }).click()
  const edit = page.getByRole('form', { name: 'Edit the daily loss limit of Swing' })
  await expect(edit.getByLabel('Account')).toBeDisabled()
  await edit.getByLabel('Value').fill('450')
  await edit.getByRole('button', { name: 'Save limit' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Saved: Daily loss of Swing' }),
  ).toBeVisible()
  await expect(meter).toHaveAttribute('aria-valuenow', '89')
  await expect(meter).toHaveClass(/risk-meter-warning/)
  await expect(limit).toContainText('Warning')
})

test('a limit is removed after confirming', async ({ page, server }) => {
  await call(server, 'risk.setLimit', {
    account: 'Futures',
    type: 'max_trades_per_day',
    value: '5',
  })
  await openApp(page, server, '/risk')
  await settled(page)
  const futures = page.getByTestId('account-limits').filter({ hasText: 'Futures' })
  await expect(futures.getByTestId('limit-row')).toContainText('5 trades')
  await futures.getByRole('button', { name: 'Remove the trades per day limit of Futures' }).click()
  await page.getByRole('button', { name: 'Remove limit' }).click()
  await expect(futures).toHaveCount(0)
})

async function picture(page: Page, name: string) {
  await settled(page)
  await page.mouse.move(0, 0)
  await page.evaluate(() => {
    ;(document.activeElement as HTMLElement | null)?.blur()
    // From the top: the sticky sidebar is drawn where the page was scrolled to.
    window.scrollTo(0, 0)
  })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of Strategies and Risk in the ${theme} theme`, async ({ page, server }) => {
    const strategy = await arrangeOpeningRange(server)
    const { status } = await call(server, 'backtests.import', {
      strategy: strategy.id,
      file: fileInput('orb-2026.csv', backtestCsv),
    })
    expect(status).toBe('imported')
    await arrangeArchivedStrategy(server)
    await arrangeSwingDailyLoss(server)
    await call(server, 'settings.set', { key: 'ui.theme', value: theme })
    await openApp(page, server, '/strategies')
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
    await settled(page)
    await page.getByTestId('strategy-item').filter({ hasText: 'Opening range' }).click()
    await page.getByRole('button', { name: /^Compare / }).click()
    await expect(page.getByTestId('comparison')).toBeVisible()
    await picture(page, `strategies-${theme}`)

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Risk' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Risk' })).toBeVisible()
    // Two acknowledged warnings at 450, then a breach for each day from lowering it to 300.
    await expect(page.getByTestId('risk-event')).toHaveCount(4)
    await picture(page, `risk-${theme}`)
  })
}
