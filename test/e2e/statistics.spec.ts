import { blotterFixture, fileInput } from './data'
import { call, expect, openApp, settled, test, useServer } from './support'

const server = useServer()

test('statistics of the imported trades, filtered and grouped', async ({ page }) => {
  await call(server(), 'import.files', {
    files: [fileInput('scale-and-flip.csv', blotterFixture('scale-and-flip.csv'))],
  })
  await openApp(page, server(), '/statistics')
  await settled(page)

  // The fixture's round trips net +571.00 (AAPL long), +991.60 (ES short) and +774.90 (ES long,
  // after the flip; import.spec.ts): 2,337.50 in all, three wins, no loss, so no profit factor.
  await expect(page.getByTestId('stat-netPnl')).toHaveText('+2,337.50')
  await expect(page.getByTestId('stat-trades')).toHaveText('3')
  await expect(page.getByTestId('stat-winRate')).toHaveText('100.0%')
  await expect(page.getByTestId('stat-profitFactor')).toHaveText(/none/)
  await expect(page.getByTestId('stat-maxDrawdown')).toHaveText('0.00')
  await expect(page.getByRole('region', { name: 'Equity curve and drawdown by day' })).toBeVisible()

  const rows = page.getByTestId('group-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.first()).toContainText('AAPL')
  await expect(rows.first()).toContainText('thin')
  await expect(rows.nth(1)).toContainText('ES')

  await page.getByLabel('Group by').selectOption('side')
  await expect(rows).toHaveCount(2)
  await expect(page.getByTestId('group-table').locator('tbody th')).toHaveText(['long', 'short'])

  const filter = page.getByRole('form', { name: 'Filter' })
  await filter.getByLabel('Symbol').fill('MSFT')
  await filter.getByRole('button', { name: 'Apply' }).click()
  await expect(page.getByText('No closed trades match.')).toBeVisible()
  await filter.getByRole('button', { name: 'Clear' }).click()
  await expect(page.getByTestId('stat-trades')).toHaveText('3')
})
