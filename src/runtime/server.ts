// The server runtime that transformed modules import: registration, inline references, bound-value encryption.
export { registerServerReference, isServerReference, lookupServerReference, type ServerReference } from './reference.js'
export { createInlineReference, decryptBoundValues, encryptBoundValues } from './bound.js'
export { loadServerAction, ServerActionError, type LoadModule, type LoadServerActionOptions } from './load.js'
export { handleActionRequest, installModuleLoading, statusOf, type FormActionResult, type HandleActionOptions } from './handle.js'
