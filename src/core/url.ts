/**
 * Links the URL parser gives back exactly as they are written, recognised without a parse (for
 * the connectors and normalize, which see such links for nearly every item).
 */

/**
 * An absolute http(s) URL that the URL parser gives back exactly as written: lower-case scheme, a
 * host of lower-case ASCII labels (letters, digits, inner hyphens; the last one starting with a
 * letter, so not an IPv4 address) and no port or user, then a path (never empty) and an optional
 * query and fragment made of characters the parser leaves alone, percent escapes complete.
 */
const SERIALIZED_URL =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?(?:\/(?:[\w\-.~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)+(?:\?(?:[\w\-.~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?(?:#(?:[\w\-.~!$&()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/;
/** What would make the parser rewrite a SERIALIZED_URL: a dot segment ("/./", "/..", "%2e") or a punycode label to check. */
const REWRITTEN_PART = /\/\.\.?(?:[/?#]|$)|%2e|xn--/i;

/**
 * Whether `url` is an absolute http(s) URL that `new URL(url, base).href` gives back unchanged,
 * whatever the base (when the base itself parses). False when in doubt.
 */
export function isSerializedHttpUrl(url: string): boolean {
  return SERIALIZED_URL.test(url) && !REWRITTEN_PART.test(url);
}
