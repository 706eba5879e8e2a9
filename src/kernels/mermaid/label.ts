// Names from a model (routes, services, clients, topics) inside generated mermaid text. In a quoted
// label mermaid reads `"` as the end, `` ` `` at the start as markdown and `<...>` as HTML; its own
// escapes are entity codes (`#60;`, see "Entity codes to escape characters" in its flowchart docs),
// which it turns into `&#60;` after its sanitiser has run, so they reach the page as text.

/** `text` for use between the quotes of a mermaid label (`A["…"]`), shown exactly as written. */
export function mermaidLabelText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/[#"<>&`\\]/g, (c) => `#${c.charCodeAt(0)};`);
}
