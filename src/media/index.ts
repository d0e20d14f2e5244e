/**
 * What a media file is, from its bytes: the rule uploads and engines share (AVIF and
 * HEIC are images, whatever their ISO-BMFF box says).
 */
export { extensionFor, isInlineSafe, SNIFF_BYTES, sniffFile, sniffMediaType } from './media-type.ts';
