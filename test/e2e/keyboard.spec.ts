import { expect, navPages, openApp, test, useServer } from './support'

const server = useServer()

test('Tab reaches the skip link first, then every navigation link', async ({ page }) => {
  await openApp(page, server())
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()

  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link')
  for (let i = 0; i < (await links.count()); i++) {
    await page.keyboard.press('Tab')
    await expect(links.nth(i)).toBeFocused()
  }
})

test('the skip link moves focus to the page content', async ({ page }) => {
  await openApp(page, server())
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()
  // The hash router must not take #main for a route.
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
})

test('Alt+2 opens the second page and Alt+1 the first', async ({ page }) => {
  await openApp(page, server())
  const [first, second] = await navPages(page)
  if (!first || !second) throw new Error('The navigation needs two pages for this test')
  await expect(second.link).toHaveAttribute('aria-keyshortcuts', 'Alt+2')

  await page.keyboard.press('Alt+2')
  await expect(page.getByRole('heading', { level: 1, name: second.label })).toBeVisible()
  await expect(second.link).toHaveAttribute('aria-current', 'page')

  await page.keyboard.press('Alt+1')
  await expect(page.getByRole('heading', { level: 1, name: first.label })).toBeVisible()
  await expect(first.link).toHaveAttribute('aria-current', 'page')
})
