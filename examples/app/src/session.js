// Who is calling: a session cookie signed with HMAC-SHA256 (SESSION_SECRET), read from the current request, which
// the server entry (rsc.jsx) keeps in an AsyncLocalStorage for everything a request runs, server functions included.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHmac, timingSafeEqual } from 'node:crypto'

const requests = new AsyncLocalStorage()

export function withRequest(request, fn) {
  return requests.run(request, fn)
}

function sign(value) {
  const secret = process.env.SESSION_SECRET
  if (!secret) throw new Error('SESSION_SECRET is not set')
  return createHmac('sha256', secret).update(value).digest('base64url')
}

/** The Set-Cookie value that signs `user` in. */
export function sessionCookie(user) {
  const signed = encodeURIComponent(user)
  return `session=${signed}.${sign(signed)}; Path=/; HttpOnly; SameSite=Lax`
}

/** The user of the request's session cookie, or null when there is none or its signature is wrong. */
export function readSession(request) {
  const cookie = request.headers.get('cookie') ?? ''
  const value = /(?:^|;\s*)session=([^;]*)/.exec(cookie)?.[1]
  const dot = value?.lastIndexOf('.') ?? -1
  if (dot < 1) return null
  // The signature covers the cookie's text as sent, so a malformed escape is a bad signature, never an exception.
  const signed = value.slice(0, dot)
  const given = Buffer.from(value.slice(dot + 1))
  const expected = Buffer.from(sign(signed))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  return decodeURIComponent(signed)
}

/** The signed-in user of the current request; throws a 401 error when there is none. */
export async function requireUser() {
  const request = requests.getStore()
  const user = request ? readSession(request) : null
  if (!user) throw Object.assign(new Error('Not signed in'), { status: 401 })
  return user
}
