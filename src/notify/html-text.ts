/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** A count with thousands separators ('182,345'), as people read it. */
export function formatCount(value: number): string {
  return COUNT_FORMAT.format(value);
}
