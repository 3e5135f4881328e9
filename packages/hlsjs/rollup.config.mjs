import { readFileSync } from 'node:fs';
import { playerPackageConfig } from '../../scripts/rollup-common.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default playerPackageConfig({ name: 'hlsjs', version, player: 'hls.js', playerTitle: 'hls.js' });
