// Vite's "?url" imports (the PDF.js worker's address): the file's URL in the build. The project does not load
// vite/client's types, which would bring every other Vite import form with them.
declare module '*?url' {
  const url: string
  export default url
}
