// The client compilations' half of UseServerPlugin (`useServer.client()`, one per compilation: the browser's, an SSR
// one): each client compilation hands its client stubs to the server compilation's plugin, which checks them against
// its manifest and keeps only the server functions something uses. The server compilation waits for every client
// compilation's stubs in `processAssets`, so no client compilation may depend on the server one (webpack's
// `dependencies`); in watch mode, a server rebuild without a client rebuild uses that client's last stubs.
import type { Compiler } from 'webpack'
import { installMetadataSubscriber } from './metadata.js'
import { findClientStubs, type ClientStub } from './references.js'

const NAME = 'UseServerPlugin(client)'

/** The client stubs of the latest client compilation, as a promise the server compilation awaits. */
export class ClientStubs {
  /** Is the client plugin in a compilation? (Else the server compilation does not wait.) */
  applied = false
  private resolve: ((stubs: ClientStub[] | null) => void) | null = null
  private latest: Promise<ClientStub[] | null> = this.round()

  /** The stubs of the current (or, between compilations, the last) client compilation; null if it failed. */
  get(): Promise<ClientStub[] | null> {
    return this.latest
  }

  private round(): Promise<ClientStub[] | null> {
    return new Promise((resolve) => { this.resolve = resolve })
  }

  start(): void {
    if (!this.resolve) this.latest = this.round()
  }

  finish(stubs: ClientStub[] | null): void {
    this.resolve?.(stubs)
    this.resolve = null
  }
}

/**
 * The stubs of every client compilation whose plugin is applied, together; null when there is none, or one failed
 * (then nothing is checked or left out).
 */
export async function stubsOfAll(halves: readonly ClientStubs[]): Promise<ClientStub[] | null> {
  const applied = halves.filter((half) => half.applied)
  const rounds = await Promise.all(applied.map((half) => half.get()))
  if (applied.length === 0 || rounds.some((stubs) => stubs === null)) return null
  return rounds.flat() as ClientStub[]
}

/** The plugin of a client compilation; made by `UseServerPlugin#client()`. */
export class UseServerClientPlugin {
  constructor(private readonly stubs: ClientStubs, private readonly root: string | undefined) {}

  apply(compiler: Compiler): void {
    this.stubs.applied = true
    installMetadataSubscriber(compiler, this.root ?? compiler.context)
    compiler.hooks.compile.tap(NAME, () => this.stubs.start())
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      // After webpack's export analysis (provided exports), before anything is emitted.
      compilation.hooks.afterOptimizeDependencies.tap(NAME, (modules) => this.stubs.finish(findClientStubs(compilation, modules)))
    })
    // A compilation that stopped before that point: the server compilation stops waiting.
    compiler.hooks.failed.tap(NAME, () => this.stubs.finish(null))
    compiler.hooks.done.tap(NAME, () => this.stubs.finish(null))
  }
}
