/**
 * What a media file is, from its bytes: the rule uploads and engines share (AVIF and
 * HEIC are images, whatever their ISO-BMFF box says); and what FFmpeg may open when it
 * reads one.
 */
export { CONTAINER_REFUSED_DETAIL, ffmpegInput, INPUT_DEMUXERS, isContainerRefusal } from './ffmpeg-input.ts';
export { extensionFor, isInlineSafe, SNIFF_BYTES, sniffFile, sniffMediaType, videoTypeOfUrl } from './media-type.ts';
