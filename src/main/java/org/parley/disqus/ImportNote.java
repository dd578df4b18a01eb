package org.parley.disqus;

/**
 * Something about one element of an export the operator should know, with its line: {@code kept} false when it
 * was skipped, true when it was imported with a change (a reply whose parent is missing, kept at the top level).
 */
public record ImportNote(int line, String element, String reason, boolean kept) {
}
