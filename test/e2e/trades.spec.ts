import { fileInput, mixedTradesCsv, roundTripOpened, roundTripsCsv } from './data'
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

test('keyset paging: 100 trades a page, Load more until the last', async ({ page }) => {
  await openApp(page, server(), '/trades')
  await settled(page)
  const rows = page.getByTestId('trade-row')
  const more = page.getByRole('button', { name: 'Load more' })
  await expect(rows).toHaveCount(100)
  await expect(rows.first().locator('td').first()).toHaveText(roundTripOpened(0))
  await expect(page.getByText('100 trades shown, more to load')).toBeVisible()

  await more.click()
  await expect(rows).toHaveCount(200)
  // Pages join in (openedAt, id) order: row 101 is round trip 100.
  await expect(rows.nth(100).locator('td').first()).toHaveText(roundTripOpened(100))

  await more.click()
  await expect(rows).toHaveCount(250)
  await expect(more).toHaveCount(0)
  await expect(rows.last().locator('td').first()).toHaveText(roundTripOpened(249))
  await expect(page.getByText('250 trades', { exact: true })).toBeVisible()
})

test('filters ask the host again from the first page', async ({ page }) => {
  await openApp(page, server(), '/trades')
  await settled(page)
  const rows = page.getByTestId('trade-row')
  await page.getByRole('button', { name: 'Load more' }).click()
  await expect(rows).toHaveCount(200)

  await page.getByLabel('Symbol').fill('MSFT')
  await expect(page.getByText('No trades match these filters.')).toBeVisible()
  await expect(rows).toHaveCount(0)

  await page.getByLabel('Symbol').fill('AAPL')
  await page.getByLabel('Symbol').press('Enter')
  await expect(rows).toHaveCount(100)
  await expect(page.getByRole('button', { name: 'Load more' })).toBeVisible()

  await page.getByLabel('Status').selectOption('open')
  await expect(page.getByText('No trades match these filters.')).toBeVisible()
  await page.getByRole('button', { name: 'Clear filters' }).first().click()
  await expect(rows).toHaveCount(100)
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
  const [loss, open] = await rows.all()
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
