/** The opaque `after` cursor of a listed page (base64url of the last item's sort key). */
export const pageCursor = {
  encode: (value: string) => Buffer.from(value).toString('base64url'),
  decode: (value: string | undefined) => (value ? Buffer.from(value, 'base64url').toString('utf8') : null),
};
