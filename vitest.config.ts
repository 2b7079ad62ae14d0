import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/db/**/*.test.ts', 'test/hosts/**/*.test.ts'],
    // Real SQLite files and child processes: give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
