import { libraryConfig } from '../../scripts/rollup-common.mjs';

export default libraryConfig({ index: 'src/index.ts', protocol: 'src/protocol/index.ts' }, ['bittorrent-tracker']);
