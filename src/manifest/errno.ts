// Node reports file-system failures as errors carrying a `code`; callers branch on a few expected ones (ENOENT, EEXIST).

export function hasErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code
}
