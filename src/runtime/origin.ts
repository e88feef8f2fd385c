// Cross-origin refusal for the server function endpoint (CSRF): a browser sends `Origin` on every POST (and
// `Sec-Fetch-Site` on every request), so a page on another origin cannot make the victim's browser call a server
// function with the victim's cookies. Checked from headers alone, before the body is read.
import { runtimeError, type ServerActionError } from './errors.js'

export interface OriginOptions {
  /** Refuse cross-origin requests (403 `USE_SERVER_FORBIDDEN_ORIGIN`). Default `true`; `false` turns the check off. */
  checkOrigin?: boolean
  /**
   * Origins allowed besides the request's own host. Each entry is a host (`app.example.com`), a host and port
   * (`localhost:5173`), or a full origin (`https://app.example.com`, which also requires that scheme). A leading `*.`
   * stands for exactly one subdomain label (`*.example.com` allows `a.example.com`, not `example.com` nor
   * `a.b.example.com`); `**.` for one or more. Without a port, an entry allows the scheme's default port only.
   */
  allowedOrigins?: string[]
  /**
   * The request header that names the public host behind a proxy, e.g. `'x-forwarded-host'` (its first value when the
   * proxy appends). Default: the `Host` header, else the host of `request.url`. Forwarded headers are never read
   * unless named here.
   */
  hostHeader?: string
}

interface Pattern {
  /** `https:` / `http:` when the entry was a full origin, else any scheme. */
  protocol: string | null
  /** Labels of the host after the wildcard, e.g. `example.com` for `*.example.com`. */
  host: string
  wildcard: '' | '*' | '**'
  /** `''` for the scheme's default port. */
  port: string
}

const compiled = new WeakMap<string[], Pattern[]>()

/**
 * Why a request must be refused as cross-origin, or null when it may go on. The rules, in order:
 * - `checkOrigin: false`: never refused.
 * - An `Origin` header: its host (and port) must be the request's host (see `hostHeader`) or match `allowedOrigins`;
 *   the scheme is compared only for full-origin entries. `Origin: null` (sandboxed frames, opaque redirects) and
 *   unparsable values are refused.
 * - No `Origin`, a `Sec-Fetch-Site` header: `same-origin` and `none` (the user's own navigation) pass, anything else
 *   is refused (a browser that sends `Sec-Fetch-Site` also sends `Origin` on a POST, so this is only a backstop).
 * - Neither header: not a browser request made on a user's behalf (curl, server-to-server), so let through.
 * Throws `USE_SERVER_INVALID_HANDLER_OPTION` for an `allowedOrigins` entry it cannot read or a `hostHeader` that is no
 * header name.
 */
export function originRefusal(request: Request, options: OriginOptions): ServerActionError | null {
  if (options.checkOrigin === false) return null
  const patterns = compile(options.allowedOrigins)
  if (options.hostHeader !== undefined && (typeof options.hostHeader !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(options.hostHeader))) {
    throw invalidOption(`hostHeader must be a header name such as 'x-forwarded-host', not ${JSON.stringify(options.hostHeader)}.`)
  }
  const origin = request.headers.get('origin')
  if (origin === null) {
    const site = request.headers.get('sec-fetch-site')
    if (site === null || site === 'same-origin' || site === 'none') return null
    return forbidden(`The request has no Origin and Sec-Fetch-Site: ${site}.`)
  }
  if (origin === 'null') return forbidden('Its Origin is "null" (a sandboxed frame, a file or an opaque redirect).')
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return forbidden(`Its Origin ${JSON.stringify(origin)} is not an origin.`)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') return forbidden(`Its Origin is ${JSON.stringify(origin)}.`)
  const own = publicHost(request, options.hostHeader)
  if (own !== null && sameHost(url, own)) return null
  if (patterns.some((p) => matches(p, url))) return null
  return forbidden(`Its Origin ${url.origin} is not this server's host (${own ?? 'unknown'}) nor in allowedOrigins.`)
}

function forbidden(why: string): ServerActionError {
  return runtimeError('USE_SERVER_FORBIDDEN_ORIGIN', `A cross-origin server function request was refused. ${why} ` +
    'Pages on other origins may call server functions only when handleActionRequest lists them in allowedOrigins.')
}

/** The host the browser addressed: the named proxy header's first value, else `Host`, else the request URL's host. */
function publicHost(request: Request, hostHeader: string | undefined): string | null {
  const named = hostHeader ? request.headers.get(hostHeader)?.split(',')[0].trim() : undefined
  const host = named || request.headers.get('host') || hostOfUrl(request.url)
  return host ? host.toLowerCase() : null
}

function hostOfUrl(url: string): string | null {
  try {
    return new URL(url).host || null
  } catch {
    return null
  }
}

/** `host` (maybe with a port) against the origin's host; a port that is the origin scheme's default is dropped. */
function sameHost(origin: URL, host: string): boolean {
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host
  } catch {
    return false
  }
}

function matches(pattern: Pattern, origin: URL): boolean {
  if (pattern.protocol !== null && pattern.protocol !== origin.protocol) return false
  if (pattern.port !== origin.port) return false
  const name = origin.hostname
  if (pattern.wildcard === '') return name === pattern.host
  if (!name.endsWith(`.${pattern.host}`)) return false
  const extra = name.slice(0, -pattern.host.length - 1).split('.')
  return extra.every((label) => label !== '') && (pattern.wildcard === '**' || extra.length === 1)
}

function compile(entries: string[] | undefined): Pattern[] {
  if (entries === undefined) return []
  if (!Array.isArray(entries)) throw invalidOption(`allowedOrigins must be an array of strings, not ${typeof entries}.`)
  let patterns = compiled.get(entries)
  if (!patterns) compiled.set(entries, (patterns = entries.map(compileEntry)))
  return patterns
}

function compileEntry(entry: unknown): Pattern {
  if (typeof entry !== 'string') throw invalidOption(`An allowedOrigins entry is ${typeof entry}, not a string.`)
  const m = /^(?:(https?):\/\/)?(\*\*?\.)?([^/:*?#@\s]+)(?::(\d+))?$/i.exec(entry.trim())
  if (!m) {
    throw invalidOption(`The allowedOrigins entry ${JSON.stringify(entry)} is not a host, host:port, origin or ` +
      '*.domain pattern (e.g. "app.example.com", "localhost:5173", "https://app.example.com", "*.example.com").')
  }
  const [, scheme, wildcard, host, port] = m
  const protocol = scheme ? `${scheme.toLowerCase()}:` : null
  // Through URL, as the Origin is: lower case, punycode, and a default port written out is dropped.
  let url: URL
  try {
    url = new URL(`${protocol ?? 'https:'}//${host}${port ? `:${port}` : ''}`)
  } catch {
    throw invalidOption(`The allowedOrigins entry ${JSON.stringify(entry)} has an invalid host.`)
  }
  const defaultPort = protocol === null && port !== undefined && (port === '443' || port === '80') ? '' : url.port
  return { protocol, host: url.hostname, wildcard: (wildcard?.slice(0, -1) ?? '') as Pattern['wildcard'], port: defaultPort }
}

function invalidOption(message: string): ServerActionError {
  return runtimeError('USE_SERVER_INVALID_HANDLER_OPTION', `handleActionRequest: ${message}`)
}
