import { call, expect, openApp, settled, test, useServer } from './support'

const server = useServer()

/** A broker CSV no built-in format knows: German headers, split date and time, signed sizes. */
const ACME_CSV = [
  'Datum,Zeit,Wertpapier,Stueck,Kurs,Provision',
  '02.03.2026,15:31:05,AAPL,100,150.00,1.00',
  '02.03.2026,16:00:00,AAPL,-100,155.50,1.00',
].join('\n')

test('a CSV no format knows imports through a mapping built on the page, saved as a template', async ({
  page,
}) => {
  await openApp(page, server(), '/import')
  await settled(page)
  await page
    .getByLabel('Choose files')
    .setInputFiles({ name: 'acme.csv', mimeType: 'text/csv', buffer: Buffer.from(ACME_CSV) })
  await page.getByLabel('Format').selectOption('generic')
  const editor = page.getByRole('group', { name: 'Column mapping' })
  await expect(editor).toContainText('Header on line 1: 6 columns')
  await expect(page.getByRole('button', { name: 'Import', exact: true })).toBeDisabled()

  await editor.getByLabel('Date and time are in separate columns').check()
  // Required fields carry a visual "*" in their label.
  await editor.getByLabel(/^Date \*$/).selectOption('Datum')
  await editor.getByLabel('Time of day').selectOption('Zeit')
  await editor.getByLabel('Time format').selectOption('eu-slash')
  await editor.getByLabel(/^Symbol \*$/).selectOption('Wertpapier')
  await editor.getByLabel(/^Quantity \*$/).selectOption('Stueck')
  await editor.getByLabel(/^Price \*$/).selectOption('Kurs')
  await editor.getByLabel('Fee / commission').selectOption('Provision')
  await editor.getByLabel('Negative quantity means sell').check()
  await editor.getByLabel('Save as template').fill('acme')
  await page.getByLabel('Time zone').fill('Europe/Berlin')
  await page.getByRole('button', { name: 'Import', exact: true }).click()

  const result = page.getByTestId('import-result')
  await expect(result.getByTestId('result-status')).toHaveText('imported')
  await expect(result.getByTestId('result-fills')).toHaveText('2')
  await expect(result.getByTestId('result-trades')).toHaveText('1')
  // (155.50 − 150.00) × 100 − 2.00 fees = 548.00; 15:31 in Berlin (UTC+1 in March) is 14:31Z.
  const [trade] = (await call(server(), 'trades.list', {})).rows
  expect(trade).toMatchObject({ netPnl: '548', openedAt: '2026-03-02T14:31:05.000Z' })
  expect((await call(server(), 'importTemplates.list', {})).map((t) => t.name)).toEqual(['acme'])
  await page.screenshot({ path: 'test-results/screenshots/import-mapping.png', fullPage: true })
})

test('a big file shows rows read and fills written while it imports', async ({ page }) => {
  const rows = ['time,account,symbol,side,quantity,price,fee']
  const start = Date.parse('2026-03-02T14:30:00Z')
  for (let i = 0; i < 60_000; i++) {
    rows.push(
      `${new Date(start + i * 1000).toISOString()},Big,MSFT,${i % 2 ? 'sell' : 'buy'},1,400,0`,
    )
  }
  await openApp(page, server(), '/import')
  await settled(page)
  await page
    .getByLabel('Choose files')
    .setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) })
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.getByRole('status')).toContainText(/of 60,001 lines/)
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /\d+/)
  await expect(page.getByTestId('import-result').getByTestId('result-fills')).toHaveText('60,000', {
    timeout: 60_000,
  })
})
