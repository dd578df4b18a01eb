/**
 * Comments: what a visitor writes and how it becomes safe HTML. A comment's CommonMark source is cleaned
 * ({@link org.parley.web.DisplayText#cleanBody}) and stored, rendered once at write time by
 * {@link org.parley.comment.Markdown#toHtml} and stored beside it, so reading a thread never parses Markdown.
 */
package org.parley.comment;
