import { app, dialog, Menu, type MenuItemConstructorOptions } from 'electron'

/** A minimal menu: reload and developer tools exist only in an unpackaged (dev) build. */
export function installMenu(): void {
  const isMac = process.platform === 'darwin'
  const devItems: MenuItemConstructorOptions[] = app.isPackaged
    ? []
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ]

  const template: MenuItemConstructorOptions[] = [
    // macOS keeps Quit in the application menu; elsewhere it belongs to File.
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...devItems,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'help', submenu: [{ label: 'About Blotter', click: () => void showAbout() }] },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

async function showAbout(): Promise<void> {
  await dialog.showMessageBox({
    type: 'info',
    title: 'About Blotter',
    message: `Blotter ${app.getVersion()}`,
    detail: [
      'A local-first trading journal.',
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
    ].join('\n'),
  })
}
