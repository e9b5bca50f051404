/**
 * Text that is not valid Unicode: a UTF-16 surrogate without its pair (JSON can spell one, "\ud800").
 * Protobuf strings must be valid UTF-8, so such text inside a Temporal failure message cannot even
 * be sent: the SDK's core shuts the worker down. It is refused at the door, and never echoed back.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** `text` with each lone surrogate replaced by U+FFFD, as a decoder would. */
export function wellFormed(text: string): string {
  return text.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');
}
