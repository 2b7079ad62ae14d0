import { expect, navPages, openApp, settled, test, useServer } from './support'

const server = useServer()

test('the shell loads with the token out of the address bar', async ({ page }) => {
  await openApp(page, server())
  await expect(page.getByText('Blotter', { exact: true })).toBeVisible()
  expect(new URL(page.url()).search).toBe('')
  expect(await page.evaluate(() => sessionStorage.getItem('blotter.token'))).toBe(server().token)
  // The token survives a reload of the tab.
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
  await settled(page)
  await expect(page.getByRole('alert')).toHaveCount(0)
})

test('every navigation item opens its page', async ({ page }) => {
  await openApp(page, server())
  const pages = await navPages(page)
  expect(pages.length).toBeGreaterThanOrEqual(2)
  for (const { label, link } of pages) {
    await expect(link).toHaveAccessibleName(label)
    await link.click()
    await expect(link).toHaveAttribute('aria-current', 'page')
    await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible()
    await expect(page).toHaveTitle(`${label} · Blotter`)
    await settled(page)
    await expect(page.getByRole('alert')).toHaveCount(0)
  }
})

test('an unknown route lands on the first page', async ({ page }) => {
  await openApp(page, server(), '/no-such-page')
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
})

test('without the token the app says how to get in instead of going blank', async ({
  page,
  consoleWatch,
}) => {
  consoleWatch.allow(/status of 401/)
  await page.goto(`http://127.0.0.1:${server().port}/`)
  await expect(page.getByRole('alert').first()).toContainText('token')
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible()
})
