import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { blotterFixture } from './data'
import { call, expect, openApp, settled, test, useServer } from './support'

const server = useServer()

/** Chooses files on the Import page, presses Import and returns each file's result card. */
async function importFiles(page: Page, files: { name: string; buffer: Buffer }[]) {
  await page
    .getByLabel('Choose files')
    .setInputFiles(files.map((file) => ({ ...file, mimeType: 'text/csv' })))
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled()
  await expect(page.getByRole('progressbar')).toHaveCount(0)
  const results = page.getByTestId('import-result')
  await expect(results).toHaveCount(files.length)
  return results
}

async function netColumn(page: Page): Promise<string[]> {
  return page.getByTestId('trade-row').getByTestId('net').allInnerTexts()
}

test('import, re-import, a rejected file and undo, through the pages', async ({ page }) => {
  const fixture = { name: 'scale-and-flip.csv', buffer: blotterFixture('scale-and-flip.csv') }
  await openApp(page, server(), '/import')
  await settled(page)
  await expect(page.getByText('No imports yet.')).toBeVisible()

  // First import: every fill is new.
  let [result] = await importFiles(page, [fixture]).then((r) => r.all())
  await expect(result!.getByTestId('result-status')).toHaveText('imported')
  await expect(result!.getByTestId('result-fills')).toHaveText('7')
  await expect(result!.getByTestId('result-duplicates')).toHaveText('0')
  await expect(result!.getByTestId('result-trades')).toHaveText('3')
  const [batch] = await call(server(), 'imports.list', {})
  if (!batch) throw new Error('The import left no batch')
  const firstRow = page.locator(`[data-batch-id="${batch.id}"]`)
  await expect(firstRow).toContainText('scale-and-flip.csv')
  await expect(firstRow).toContainText('imported')

  // The Trades page lists the three round trips, newest first.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trades' }).click()
  await settled(page)
  await expect(page.getByTestId('trade-row')).toHaveCount(3)
  expect(await netColumn(page)).toEqual(['+774.90', '+991.60', '+571.00'])

  // The same file again: nothing new, every fill a duplicate.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click()
  await settled(page)
  ;[result] = await importFiles(page, [fixture]).then((r) => r.all())
  await expect(result!.getByTestId('result-status')).toHaveText('imported')
  await expect(result!.getByTestId('result-fills')).toHaveText('0')
  await expect(result!.getByTestId('result-duplicates')).toHaveText('7')
  await expect(result!).toContainText('every fill was already in the journal')

  // A file with bad rows is rejected whole, with one error row per bad line.
  ;[result] = await importFiles(page, [
    { name: 'bad-rows.csv', buffer: blotterFixture('bad-rows.csv') },
  ]).then((r) => r.all())
  await expect(result!.getByTestId('result-status')).toHaveText('rejected')
  await expect(result!.getByTestId('result-fills')).toHaveText('0')
  const errorRows = result!.getByRole('table').locator('tbody tr')
  await expect(errorRows).toHaveCount(3)
  expect(await errorRows.locator('td:nth-child(1)').allInnerTexts()).toEqual(['3', '4', '5'])
  expect(await errorRows.locator('td:nth-child(2)').allInnerTexts()).toEqual([
    'side',
    'quantity',
    'time',
  ])
  await expect(errorRows.first()).toContainText('must be buy or sell')
  // Rejected files leave no batch behind: the history holds the two imports.
  await expect(page.getByTestId('batch-row')).toHaveCount(2)

  // Undo asks first; Cancel keeps the batch.
  const confirm = page.locator(`[data-confirm-for="${batch.id}"]`)
  await firstRow.getByRole('button', { name: 'Undo' }).click()
  await expect(confirm).toContainText('Its 7 fills are removed')
  await expect(confirm.getByRole('button', { name: 'Undo import' })).toBeFocused()
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await expect(confirm).toHaveCount(0)
  await expect(firstRow.getByRole('button', { name: 'Undo' })).toBeFocused()
  await expect(firstRow).toContainText('imported')
  await firstRow.getByRole('button', { name: 'Undo' }).click()
  await confirm.getByRole('button', { name: 'Undo import' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Undid scale-and-flip.csv' }),
  ).toContainText('7 fills removed')
  await expect(firstRow).toContainText('undone')
  await expect(firstRow.getByRole('button')).toHaveCount(0)

  // With the batch's fills gone, so are the trades; the empty state points back here.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trades' }).click()
  await settled(page)
  await expect(page.getByTestId('trade-row')).toHaveCount(0)
  await expect(page.getByText('No trades yet — import a file')).toBeVisible()
  await page.getByRole('link', { name: 'import a file' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible()
})

test('a dry run reports what would happen and writes nothing', async ({ page }) => {
  const before = await call(server(), 'imports.list', {})
  await openApp(page, server(), '/import')
  await settled(page)
  await page.getByLabel('Dry run').check()
  const [result] = await importFiles(page, [
    { name: 'identical-fills.csv', buffer: blotterFixture('identical-fills.csv') },
  ]).then((r) => r.all())
  await expect(result!.getByTestId('result-status')).toHaveText('dry-run')
  await expect(result!).toContainText('nothing was written')
  expect(await call(server(), 'imports.list', {})).toEqual(before)
})

test('files can be dropped on the drop zone and removed before importing', async ({ page }) => {
  await openApp(page, server(), '/import')
  await settled(page)
  const drop = await page.evaluateHandle(() => {
    const data = new DataTransfer()
    data.items.add(new File(['time,symbol,side,quantity,price\n'], 'dropped.csv'))
    data.items.add(new File(['a'], 'other.csv'))
    return data
  })
  const zone = page.locator('.drop-zone')
  await zone.dispatchEvent('dragenter', { dataTransfer: drop })
  await expect(zone).toHaveClass(/is-dragging/)
  await zone.dispatchEvent('drop', { dataTransfer: drop })
  await expect(zone).not.toHaveClass(/is-dragging/)
  const chosen = page.getByRole('list', { name: 'Chosen files' }).getByRole('listitem')
  await expect(chosen).toHaveCount(2)
  await page.getByRole('button', { name: 'Remove other.csv' }).click()
  await expect(chosen).toHaveCount(1)
  await expect(chosen).toContainText('dropped.csv')
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeEnabled()
})

test('a file whose dates read either way: a warning, then the date order set on the page', async ({
  page,
}) => {
  const file = {
    name: 'executions-gb.csv',
    buffer: readFileSync(
      new URL('../fixtures/ninjatrader-executions/executions-gb.csv', import.meta.url),
    ),
  }
  await openApp(page, server(), '/import')
  await settled(page)
  await page.getByLabel('Dry run').check()
  let [result] = await importFiles(page, [file]).then((r) => r.all())
  await expect(result!.locator('.warning-list')).toContainText(
    'they were read month-first (2026-05-04)',
  )

  await page.getByLabel('Date order').selectOption('dmy')
  await page.getByLabel('Dry run').uncheck()
  ;[result] = await importFiles(page, [file]).then((r) => r.all())
  await expect(result!.getByTestId('result-status')).toHaveText('imported')
  await expect(result!.locator('.warning-list')).toHaveCount(0)
  const trades = await call(server(), 'trades.list', { symbol: 'MES' })
  expect(trades.rows.map((trade) => trade.openedAt.slice(0, 10))).toEqual(['2026-04-05'])
})
