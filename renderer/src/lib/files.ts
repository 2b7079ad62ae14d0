/** Reading chosen files in the browser for the contract, which carries bytes as base64. */

/**
 * Bytes per btoa call: a multiple of 3, so each chunk encodes without padding and the chunks
 * simply concatenate; small enough that String.fromCharCode's arguments stay far below the
 * engine's call-stack limit (spreading a whole multi-megabyte file would throw RangeError).
 */
const CHUNK = 3 * 8192

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = []
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const chunk = bytes.subarray(start, start + CHUNK)
    parts.push(btoa(String.fromCharCode(...chunk)))
  }
  return parts.join('')
}

export async function fileToBase64(file: File): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()))
}

const sizeFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 })

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)} KB`
  return `${sizeFormat.format(bytes / (1024 * 1024))} MB`
}
