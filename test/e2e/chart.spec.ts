import { blotterFixture, fileInput } from './data'
import { call, expect, openApp, screenshotDir, settled, test, useServer } from './support'

const server = useServer()

/** 30 daily AAPL candles up to the fixture's trade day, 2026-03-02, drifting up a dollar a day. */
function dailyCandles(): string {
  const rows = ['Date,Open,High,Low,Close,Volume']
  const last = Date.parse('2026-03-02T00:00:00Z')
  for (let i = 29; i >= 0; i--) {
    const day = new Date(last - i * 86_400_000).toISOString().slice(0, 10)
    const open = 150 - i
    rows.push(`${day},${open},${open + 3},${open - 2},${open + 1},${1_000_000 + i}`)
  }
  return rows.join('\n')
}

for (const theme of ['light', 'dark'] as const) {
  test(`candles imported on the Chart page are drawn with an overlay and the trades (${theme})`, async ({
    page,
  }) => {
    await call(server(), 'settings.set', { key: 'ui.theme', value: theme })
    if (theme === 'light') {
      await call(server(), 'import.files', {
        files: [fileInput('scale-and-flip.csv', blotterFixture('scale-and-flip.csv'))],
      })
    }
    await openApp(page, server(), '/chart')
    await settled(page)

    const importForm = page.getByRole('form', { name: 'Import candles' })
    await importForm.getByLabel('Candles file (OHLCV CSV)').setInputFiles({
      name: 'aapl-daily.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(dailyCandles()),
    })
    await importForm.getByLabel('Symbol').fill('aapl')
    await importForm.getByLabel('Timeframe').selectOption('1d')
    await importForm.getByRole('button', { name: 'Import candles' }).click()
    // The second run imports the same file again: every candle is already stored.
    await expect(page.getByTestId('candle-import-result')).toHaveText(
      theme === 'light'
        ? '30 candles imported, 0 already stored'
        : '0 candles imported, 30 already stored',
    )

    const chartForm = page.getByRole('form', { name: 'Chart' })
    await chartForm.getByLabel('Symbol').fill('AAPL')
    await chartForm.getByLabel('Overlay').selectOption('sma-20')
    await chartForm.getByRole('button', { name: 'Show' }).click()
    await expect(page.getByTestId('chart-summary')).toHaveText(
      '30 candles, last close 151, 1 trade marked',
    )
    await expect(
      page.getByRole('region', { name: 'AAPL 1d candles' }).locator('canvas').first(),
    ).toBeVisible()
    await page.mouse.move(0, 0)
    await page.screenshot({ path: `${screenshotDir}chart-data-${theme}.png`, fullPage: true })
  })
}
