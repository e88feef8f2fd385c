// A small seeded PRNG (sfc32 seeded through splitmix32): the same seed gives the same programs on every machine.

function splitmix32(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x9e3779b9) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** A PRNG with the helpers the generators use. */
export function createRandom(seed) {
  const mix = splitmix32(seed)
  let a = mix(), b = mix(), c = mix(), d = mix()
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  const random = {
    /** A float in [0, 1). */
    next,
    /** An integer in [0, n). */
    int: (n) => Math.floor(next() * n),
    /** True with probability p. */
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    /** Picks by weight: `[[weight, value], …]`. */
    weighted(entries) {
      const total = entries.reduce((s, [w]) => s + w, 0)
      let roll = next() * total
      for (const [w, v] of entries) if ((roll -= w) < 0) return v
      return entries[entries.length - 1][1]
    },
  }
  return random
}
