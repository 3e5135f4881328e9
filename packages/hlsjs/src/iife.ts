// Entry of the drop-in bundle: `<script src="shoal-hlsjs.iife.js">` defines window.Shoal.
export { Shoal, ShoalConfigError, offloadRatio } from './index.js';
