/** talisman ships no type declarations; the one function the sources context uses. */
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity of two strings, in [0, 1]. */
  export default function jaroWinkler(a: string, b: string): number;
}
