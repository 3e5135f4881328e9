// Entry of the drop-in bundle: `<script src="shoal-hlsjs.min.js">` defines window.Shoal
// (Shoal.Shoal, Shoal.version, Shoal.isSupported(), ...).
export { Shoal, ShoalConfigError, offloadRatio, VERSION as version, isSupported, supportReport } from './index.js';
