/** Vite's `?url` imports: the URL of the emitted asset (the IVS player's wasm worker and binary). */
declare module '*?url' {
  const url: string;
  export default url;
}
