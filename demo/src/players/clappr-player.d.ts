// @clappr/player ships no types; clappr.ts describes the two members it uses where it uses them.
declare module '@clappr/player' {
  const Clappr: unknown;
  export default Clappr;
}
