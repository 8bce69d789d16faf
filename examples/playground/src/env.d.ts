// Vite inlines `?raw` imports as strings (the breast-cancer CSV ships inside the bundle).
declare module '*.csv?raw' {
  const text: string;
  export default text;
}
