// An imported `.wasm` file, as workerd (and bundlers configured for it) provide it.
declare module '*.wasm' {
  const module: WebAssembly.Module
  export default module
}
