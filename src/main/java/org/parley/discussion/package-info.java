/**
 * Discussions: a site's threads and the comments in them, one feature — writing a comment and serving the page
 * that shows it change together (the thread's version, its counters, the cached page), so they live together.
 * A comment's CommonMark source is cleaned ({@link org.parley.web.DisplayText#cleanBody}) and stored, rendered
 * once at write time by {@link org.parley.discussion.Markdown#toHtml} and stored beside it, so reading a thread
 * never parses Markdown.
 */
package org.parley.discussion;
