import { join } from 'node:path'
import { call, expect, navPages, openApp, screenshotDir, settled, test, useServer } from './support'

const server = useServer()

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of every page in the ${theme} theme`, async ({ page }) => {
    await call(server(), 'settings.set', { key: 'ui.theme', value: theme })
    await openApp(page, server())
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
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
