/**
 * Checks text typed as a JSON object and says where it is wrong. JSON.parse alone often names no
 * position ("Unexpected token '}'…"), so jsonc-parser (strict: no comments, no trailing commas)
 * finds the first problem's offset.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser'

export type JsonObjectCheck =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string; line: number; column: number; offset: number }

/** By jsonc-parser's error code names (its codes are a const enum, which isolated modules cannot read). */
const problems: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'nothing may follow the closing brace',
  InvalidCommentToken: 'JSON has no comments',
  UnexpectedEndOfComment: 'JSON has no comments',
  UnexpectedEndOfString: 'the string is not closed',
  UnexpectedEndOfNumber: 'the number is cut short',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape after \\',
  InvalidCharacter: 'line breaks and tabs in a string must be escaped',
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: offset - lineStart + 1 }
}

export function checkJsonObject(text: string): JsonObjectCheck {
  const fail = (message: string, offset: number): JsonObjectCheck => ({
    ok: false,
    message,
    offset,
    ...positionOf(text, offset),
  })
  if (text.trim() === '') return fail('empty: write {} for no settings', 0)
  const errors: ParseError[] = []
  parse(text, errors, { disallowComments: true, allowTrailingComma: false })
  const first = errors[0]
  if (first)
    return fail(problems[printParseErrorCode(first.error)] ?? 'not valid JSON', first.offset)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    // What the scanner let through (it is lenient about little else); V8 may say where.
    const message = error instanceof Error ? error.message : String(error)
    const at = /at position (\d+)/.exec(message)
    return fail('not valid JSON', at ? Number(at[1]) : 0)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('must be a JSON object, e.g. {"assignment": []}', text.search(/\S/))
  }
  return { ok: true, value: value as Record<string, unknown> }
}
