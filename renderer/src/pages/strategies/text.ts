/** How the strategy forms turn text into values and back. */

/** A config (or any JSON value) as the editor and the version history show it. */
export const formatJson = (value: unknown) => JSON.stringify(value, null, 2)

/** The non-blank lines of a textarea, trimmed: one checklist rule each. */
export const splitLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
