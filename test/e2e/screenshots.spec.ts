import { join } from 'node:path'
import { blotterFixture, fileInput, mixedTradesCsv } from './data'
import { call, expect, navPages, openApp, screenshotDir, settled, test, useServer } from './support'

// One journal per theme, so both pictures of a page show the same data.
const servers = { light: useServer(), dark: useServer() }

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of every page in the ${theme} theme`, async ({ page }) => {
    const server = servers[theme]()
    await call(server, 'settings.set', { key: 'ui.theme', value: theme })
    await call(server, 'import.files', {
      files: [fileInput('scale-and-flip.csv', blotterFixture('scale-and-flip.csv'))],
    })
    // A close for the open NVDA position (10 at 880), so the pictures show it marked: +250.
    await call(server, 'candles.import', {
      file: fileInput(
        'nvda-1d.csv',
        'time,open,high,low,close,volume\n2026-03-06,880,910,875,905,1000\n',
      ),
      symbol: 'NVDA',
      assetClass: 'stock',
      timeframe: '1d',
    })
    await openApp(page, server, '/import')
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)

    // An import through the page, so the Import picture shows results: one file imported with a
    // warning, one rejected with its errors. They stay on the page while the others are taken.
    await page.getByLabel('Choose files').setInputFiles([
      { name: 'mixed.csv', mimeType: 'text/csv', buffer: Buffer.from(mixedTradesCsv) },
      { name: 'bad-rows.csv', mimeType: 'text/csv', buffer: blotterFixture('bad-rows.csv') },
    ])
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect(page.getByTestId('import-result')).toHaveCount(2)

    for (const { label, link } of await navPages(page)) {
      await link.click()
      await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible()
      await settled(page)
      // Park the mouse and focus so no hover or focus ring lands in the picture.
      await page.mouse.move(0, 0)
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
      const name = label.toLowerCase().replace(/\W+/g, '-')
      await page.screenshot({ path: join(screenshotDir, `${name}-${theme}.png`), fullPage: true })
    }
  })
}
