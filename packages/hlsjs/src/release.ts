/** Facts about this build, for pages that decide whether to load Shoal at all (the browser's side: @shoal/core's supportReport). */

// Replaced by the package's version when rollup builds dist/ (see rollup.config.mjs).
declare const __SHOAL_VERSION__: string | undefined;

/** The @shoal/hlsjs version this code was built as ('0.0.0-source' when run from the TypeScript sources). */
export const VERSION: string = typeof __SHOAL_VERSION__ === 'string' ? __SHOAL_VERSION__ : '0.0.0-source';

export { isSupported, supportReport, type SupportReport } from '@shoal/core';
