// Entry of the drop-in bundle: `<script src="shoal-shaka.min.js">` defines window.Shoal
// (Shoal.Shoal, Shoal.version, Shoal.isSupported(), ...). Shaka Player is the page's own.
export { Shoal, ShoalConfigError, offloadRatio, VERSION as version, isSupported, supportReport } from './index.js';
