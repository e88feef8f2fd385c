// Re-exports the Babel 8 presets installed next to this file (see package.json for why they live here).
export { default as presetTypescript } from '@babel/preset-typescript'
export { default as presetReact } from '@babel/preset-react'
