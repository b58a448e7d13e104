/** Builds an RFC 6901 JSON pointer, so error paths name keys that contain `/` or `~` exactly. */
export function jsonPointer(...segments: (string | number)[]): string {
  return segments
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** Joins a prefix pointer (possibly empty) with more segments. */
export function childPointer(prefix: string, ...segments: (string | number)[]): string {
  return `${prefix}${jsonPointer(...segments)}`;
}
