// Build errors: a stable code, a message that says what is wrong and how to fix it, and Babel's code frame.
import type { NodePath } from '@babel/core'
import { stripVTControlCharacters } from 'node:util'

export const ErrorCode = {
  InvalidOption: 'USE_SERVER_INVALID_OPTION',
  InvalidSecret: 'USE_SERVER_INVALID_SECRET',
  SyncFunction: 'USE_SERVER_SYNC_FUNCTION',
  NotAFunction: 'USE_SERVER_NOT_A_FUNCTION',
  ClassExport: 'USE_SERVER_CLASS_EXPORT',
  ExportAll: 'USE_SERVER_EXPORT_ALL',
  ClientAndServer: 'USE_SERVER_CLIENT_AND_SERVER',
  DirectiveTypo: 'USE_SERVER_DIRECTIVE_TYPO',
  MisplacedDirective: 'USE_SERVER_MISPLACED_DIRECTIVE',
  ThisInAction: 'USE_SERVER_THIS',
  ArgumentsInAction: 'USE_SERVER_ARGUMENTS',
  SuperInAction: 'USE_SERVER_SUPER',
  NewTargetInAction: 'USE_SERVER_NEW_TARGET',
  InstanceMethod: 'USE_SERVER_INSTANCE_METHOD',
  InlineInClient: 'USE_SERVER_INLINE_IN_CLIENT',
  CapturedReassigned: 'USE_SERVER_CAPTURED_REASSIGNED',
  UnknownServerExport: 'USE_SERVER_UNKNOWN_EXPORT',
  InvalidMetadata: 'USE_SERVER_INVALID_METADATA',
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** The error class of every build error; `code` survives Babel's re-throw (it only adds the file name). */
export class UseServerError extends Error {
  code: ErrorCode | undefined
  constructor(message: string) {
    super(message)
    this.name = 'UseServerError'
    this.code = /^\[(USE_SERVER_[A-Z_]+)\]/.exec(message)?.[1] as ErrorCode | undefined
  }
}

/**
 * Throws a build error pointing at `path`, e.g. `[USE_SERVER_SYNC_FUNCTION] … ` followed by the code frame. The frame
 * is plain text: Babel colours it whenever the terminal (or CI) looks colour-capable, and colours break log scanners.
 */
export function fail(path: NodePath, code: ErrorCode, message: string): never {
  const error = path.buildCodeFrameError(`[${code}] ${message}`, UseServerError as unknown as ErrorConstructor)
  error.message = stripVTControlCharacters(error.message)
  throw error
}

/** A plain error (no code frame), for option validation when the plugin loads. */
export function optionError(message: string): UseServerError {
  return new UseServerError(`[${ErrorCode.InvalidOption}] babel-plugin-use-server: ${message}`)
}
