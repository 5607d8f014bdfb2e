/**
 * What a check says of its input, for table-driven specs of argument readers: `accepted` when `read`
 * returns, `<code> <message>` when it throws a coded error (an error with a string `code`, such as
 * messaging's CommandError); any other error is thrown on.
 */
export function refusalOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === 'string') return `${code} ${error.message}`;
    throw error;
  }
  return 'accepted';
}
