import { expect, openApp, settled, test, useServer } from './support'

const server = useServer()

test('the status panel shows the journal file, its schema and every table', async ({ page }) => {
  await openApp(page, server())
  await settled(page)
  await expect(page.getByTestId('db-path')).toContainText('journal.db')
  await expect(page.getByTestId('schema-version')).toHaveText(/^\d+$/)
  await expect(page.getByText('Browser mode')).toBeVisible()

  const rows = page.locator('table tbody tr')
  expect(await rows.count()).toBeGreaterThan(40)
  const counts = await rows.locator('td').allInnerTexts()
  expect(counts.length).toBe(await rows.count())
  for (const count of counts) expect(count).toMatch(/^[\d,]+$/)
  await expect(page.getByTestId('total-rows')).toHaveText(/^[\d,]+$/)
})

test('the filter narrows the table list and the total follows', async ({ page }) => {
  await openApp(page, server())
  await settled(page)
  const rows = page.locator('table tbody tr')
  const all = await rows.count()
  const name = await rows.first().locator('th').innerText()

  await page.getByLabel('Filter tables').fill(name.toUpperCase())
  await expect(page.getByRole('rowheader', { name, exact: true })).toBeVisible()
  const shown = await rows.count()
  expect(shown).toBeGreaterThan(0)
  expect(shown).toBeLessThan(all)
  await expect(page.locator('tfoot')).toContainText(`${shown} of ${all} tables`)

  await page.getByLabel('Filter tables').fill('no table is called this')
  await expect(rows).toHaveCount(1)
  await expect(rows).toContainText('No table name contains')
  await expect(page.getByTestId('total-rows')).toHaveText('0')

  await page.getByLabel('Filter tables').fill('')
  await expect(rows).toHaveCount(all)
})

test('Refresh fetches the counts again', async ({ page }) => {
  await openApp(page, server())
  await settled(page)
  await expect(page.getByText(/^Updated /)).toBeVisible()
  const request = page.waitForRequest((r) => r.url().endsWith('/api/system.info'))
  await page.getByRole('button', { name: 'Refresh' }).click()
  await request
  await settled(page)
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled()
})
