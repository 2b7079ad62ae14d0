import type { Page } from '@playwright/test'
import { call, expect, openApp, settled, test, useServer } from './support'

const server = useServer()

/** A setting's row (a group named by its label) and its input. */
function setting(page: Page, label: string) {
  const field = page.getByRole('group', { name: label })
  return { field, input: field.getByLabel(label, { exact: true }) }
}

test.beforeEach(async () => {
  await call(server(), 'settings.set', { key: 'ui.theme', value: 'system' })
})

test('every setting is listed with a labelled control', async ({ page }) => {
  await openApp(page, server(), '/settings')
  await settled(page)
  for (const label of [
    'Theme',
    'Journal time zone',
    'Base currency',
    'Backup interval',
    'Postgres sync URL',
  ]) {
    await expect(setting(page, label).input).toBeVisible()
  }
  await expect(setting(page, 'Postgres sync URL').field).toContainText('Not set')
})

test('dark theme applies at once and survives a reload', async ({ page }) => {
  await openApp(page, server(), '/settings')
  await settled(page)
  const theme = setting(page, 'Theme')
  await theme.input.selectOption('dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(theme.field).toContainText('Saved')
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(theme.input).toHaveValue('dark')
})

test('the system theme follows the operating system', async ({ page }) => {
  await openApp(page, server())
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
})

test('the sidebar toggle flips the theme and saves it', async ({ page }) => {
  await openApp(page, server())
  await page.getByRole('button', { name: 'Dark theme' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByRole('button', { name: 'Light theme' }).click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  expect(await call(server(), 'settings.get', { key: 'ui.theme' })).toMatchObject({
    value: 'light',
  })
})

test('an invalid time zone shows the server message and is not saved', async ({ page }) => {
  await openApp(page, server(), '/settings')
  await settled(page)
  const { field, input } = setting(page, 'Journal time zone')
  const before = await input.inputValue()

  await input.fill('Mars/Olympus_Mons')
  await field.getByRole('button', { name: 'Save' }).click()
  await expect(field).toContainText('must be an IANA time zone')
  await expect(input).toHaveAttribute('aria-invalid', 'true')

  await page.reload()
  await expect(input).toHaveValue(before)
})

test('a valid time zone saves', async ({ page }) => {
  await openApp(page, server(), '/settings')
  await settled(page)
  const { field, input } = setting(page, 'Journal time zone')
  await input.fill('America/New_York')
  await input.press('Enter')
  await expect(field).toContainText('Saved')
  await expect(field.getByRole('button', { name: 'Save' })).toBeDisabled()
  await page.reload()
  await expect(input).toHaveValue('America/New_York')
})

test('the backup interval saves as a number and out-of-range values are refused', async ({
  page,
}) => {
  await openApp(page, server(), '/settings')
  await settled(page)
  const { field, input } = setting(page, 'Backup interval')
  await input.fill('30')
  await field.getByRole('button', { name: 'Save' }).click()
  await expect(field).toContainText('Saved')
  expect(await call(server(), 'settings.get', { key: 'backup.intervalMinutes' })).toMatchObject({
    value: 30,
  })

  await input.fill('5000')
  await field.getByRole('button', { name: 'Save' }).click()
  await expect(input).toHaveAttribute('aria-invalid', 'true')
  await field.getByRole('button', { name: 'Revert' }).click()
  await expect(input).toHaveValue('30')
})

test('browser mode explains why it cannot store a secret', async ({ page }) => {
  await openApp(page, server(), '/settings')
  await settled(page)
  const { field, input } = setting(page, 'Postgres sync URL')
  await expect(input).toHaveAttribute('type', 'password')
  await input.fill('postgres://journal@db.example/blotter')
  await field.getByRole('button', { name: 'Save' }).click()
  await expect(field).toContainText('only the desktop app can store it')
  await expect(field).toContainText('Not set')
})
