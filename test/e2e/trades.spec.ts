import { fileInput, mixedTradesCsv, roundTripOpened, roundTripsCsv } from './data'
import type { Page } from '@playwright/test'
import { call, expect, openApp, settled, test, useServer } from './support'

const server = useServer()

test.beforeAll(async () => {
  const { files } = await call(server(), 'import.files', {
    files: [fileInput('paging.csv', roundTripsCsv(250))],
  })
  expect(files.map((file) => [file.status, file.fills, file.trades])).toEqual([
    ['imported', 500, 250],
  ])
})

/** Scrolls the window to the end of the page, where the list asks for its next page. */
async function scrollToEnd(page: Page) {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
}

test('newest first, a page at a time as the list scrolls; only the rows in view are drawn', async ({
  page,
}) => {
  await openApp(page, server(), '/trades')
  await settled(page)
  const rows = page.getByTestId('trade-row')
  const status = page.locator('.page-actions')
  await expect(status).toHaveText('100 trades loaded, more as you scroll')
  await expect(rows.first().locator('td').first()).toHaveText(roundTripOpened(249))
  // A virtual list: the first screen and its overscan, not the 100 rows loaded.
  expect(await rows.count()).toBeLessThan(60)

  await scrollToEnd(page)
  await expect(status).toHaveText('200 trades loaded, more as you scroll')
  await scrollToEnd(page)
  await expect(status).toHaveText('250 trades')
  await expect(page.getByText('Scroll for more trades')).toHaveCount(0)
  await scrollToEnd(page)
  // Pages join in (openedAt, id) order, newest first: the last row is the oldest round trip.
  await expect(rows.last().locator('td').first()).toHaveText(roundTripOpened(0))
  await expect(rows.last()).toHaveAttribute('aria-rowindex', '251')
  expect(await rows.count()).toBeLessThan(60)

  // Oldest first: the same keyset from the other end, shown from its top (the window was at the
  // old list's end, where the new one would have loaded every page at once).
  await page.getByLabel('Order').selectOption('oldest')
  await expect(rows.first().locator('td').first()).toHaveText(roundTripOpened(0))
  await expect(status).toHaveText('100 trades loaded, more as you scroll')
  expect(await page.evaluate(() => window.scrollY)).toBe(0)
  await page.getByLabel('Order').selectOption('newest')
  await expect(rows.first().locator('td').first()).toHaveText(roundTripOpened(249))
})

test('filters ask the host again from the first page', async ({ page }) => {
  await openApp(page, server(), '/trades')
  await settled(page)
  const rows = page.getByTestId('trade-row')
  const status = page.locator('.page-actions')
  await scrollToEnd(page)
  await expect(status).toHaveText('200 trades loaded, more as you scroll')

  await page.getByLabel('Symbol').fill('MSFT')
  await expect(page.getByText('No trades match these filters.')).toBeVisible()
  await expect(rows).toHaveCount(0)

  await page.getByLabel('Symbol').fill('AAPL')
  await page.getByLabel('Symbol').press('Enter')
  await expect(status).toHaveText('100 trades loaded, more as you scroll')

  await page.getByLabel('Status').selectOption('open')
  await expect(page.getByText('No trades match these filters.')).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).first().click()
  await expect(status).toHaveText('100 trades loaded, more as you scroll')
  await expect(page.getByLabel('Symbol')).toHaveValue('')
  await expect(page.getByLabel('Status')).toHaveValue('all')
})

test('open trades, losses and unknown multipliers are marked', async ({ page }) => {
  await call(server(), 'import.files', { files: [fileInput('mixed.csv', mixedTradesCsv)] })
  await openApp(page, server(), '/trades')
  await settled(page)
  await page.getByLabel('Account').fill('Swing')
  const rows = page.getByTestId('trade-row')
  await expect(rows).toHaveCount(2)
  const [open, loss] = await rows.all()
  await expect(loss!.getByTestId('net')).toHaveText('-374.50')
  await expect(loss!.locator('.pnl-negative')).toHaveCount(2)
  await expect(open!.locator('td').nth(1)).toHaveText('open')
  await expect(open!.getByTestId('net')).toHaveText(/none/)

  await page.getByLabel('Account').fill('Futures')
  await expect(rows).toHaveCount(1)
  const marker = rows.getByRole('img', { name: /No multiplier is known for ZZH26/ })
  await expect(marker).toHaveCount(2)
  await expect(marker.first()).toHaveAttribute('title', /incomplete until you set one/)
  await expect(rows.getByTestId('net')).toHaveText('-3.45')
})

test('a date range keeps the trades opened on those days, in the journal zone', async ({
  page,
}) => {
  await call(server(), 'import.files', { files: [fileInput('mixed.csv', mixedTradesCsv)] })
  await openApp(page, server(), '/trades')
  await settled(page)
  const rows = page.getByTestId('trade-row')
  await page.getByLabel('Opened from').fill('2026-03-04')
  await page.getByLabel('Opened to').fill('2026-03-05')
  await expect(rows).toHaveCount(2)
  await expect(rows.locator('.symbol')).toHaveText(['ZZH26', 'MSFT'])
  await page.getByRole('button', { name: 'Clear filters' }).first().click()
  await expect(page.getByLabel('Opened from')).toHaveValue('')
  await expect(page.locator('.page-actions')).toHaveText('100 trades loaded, more as you scroll')
})

test('all twelve columns fit a 1280-pixel window without sideways scrolling', async ({ page }) => {
  await call(server(), 'import.files', { files: [fileInput('mixed.csv', mixedTradesCsv)] })
  await openApp(page, server(), '/trades')
  await settled(page)
  await expect(page.getByRole('columnheader')).toHaveCount(12)
  const scroller = page.locator('.table-scroll')
  const { scrollWidth, clientWidth } = await scroller.evaluate((element) => ({
    scrollWidth: element.scrollWidth,
    clientWidth: element.clientWidth,
  }))
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth)
})
