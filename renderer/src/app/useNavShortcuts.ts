import { useEffect } from 'react'
import { useNavigate } from 'react-router'
import { pages } from './pages'

/** Alt+1…Alt+9 open the nth page of the navigation. */
export function useNavShortcuts(): void {
  const navigate = useNavigate()
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
      // In a text field Option+digit types a character on macOS: leave typing alone.
      if (isEditable(event.target)) return
      // event.code, not event.key: on macOS Option+digit types a symbol.
      const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code)
      const page = match ? pages[Number(match[1]) - 1] : undefined
      if (!page) return
      event.preventDefault()
      void navigate(page.path)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [navigate])
}

function isEditable(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA'].includes(target.tagName))
  )
}
