package org.parley.web;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Cleans text from visitors before it is stored: invisible characters are removed so that what a reader sees is
 * what was stored and what moderators search for.
 *
 * <p>The danger is "Trojan Source" (CVE-2021-42574): bidirectional override, embedding and isolate controls
 * reorder how the characters around them are displayed, so a name can read "admin" while storing something
 * else, or a comment can show a different sentence (or code) from the one stored. Zero-width characters make
 * two names that look the same differ ("ad\u200Bmin" is not "admin") and hide words from moderation filters.
 * Everything is NFC-normalised so that an "é" typed as one code point or as "e" plus an accent compares equal.
 */
public final class DisplayText {
    /** LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI: they change display order beyond their own position. */
    private static final String BIDI_OVERRIDES = "\\u202A-\\u202E\\u2066-\\u2069";
    /** LRM, RLM and the Arabic letter mark: harmless marks in running text, but nothing a single line needs. */
    private static final String BIDI_MARKS = "\\u200E\\u200F\\u061C";
    /** Zero-width space, non-joiner, joiner, word joiner, and the byte-order mark used as a zero-width space. */
    private static final String ZERO_WIDTH = "\\u200B-\\u200D\\u2060\\uFEFF";
    /** Control characters (Cc) that are not whitespace; whitespace controls (tab, newline, …) become spaces. */
    private static final String CONTROLS = "\\p{Cc}&&[^\\p{IsWhite_Space}]";
    /** Unpaired surrogates: invalid UTF-16 that the database driver would store as "?". */
    private static final String LONE_SURROGATES = "\\p{Cs}";

    private static final Pattern LINE_INVISIBLES = Pattern.compile(
            "[" + BIDI_OVERRIDES + BIDI_MARKS + ZERO_WIDTH + LONE_SURROGATES + "[" + CONTROLS + "]]");
    /** Unicode whitespace, including no-break and ideographic spaces and line separators. */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\p{IsWhite_Space}+");

    /**
     * Comment bodies keep line breaks and tabs (Markdown needs them), the bidi marks (right-to-left writers use
     * them and they cannot reorder text beyond themselves) and the zero-width joiner and non-joiner (emoji
     * sequences such as woman + ZWJ + laptop, and Persian or Indic spelling need them). The zero-width space and
     * the BOM carry no meaning in text. Controls other than tab and newline go, NUL included (PostgreSQL refuses
     * it in text).
     */
    private static final Pattern BODY_INVISIBLES = Pattern.compile(
            "[" + BIDI_OVERRIDES + "\\u200B\\uFEFF" + LONE_SURROGATES + "[\\p{Cc}&&[^\\n\\t]]]");
    private static final Pattern LINE_ENDING = Pattern.compile("\\r\\n?");

    private DisplayText() {
    }

    /**
     * Single-line text such as an author's display name or a thread title: invisible characters removed,
     * every run of whitespace (line breaks included) one space, no space at either end.
     */
    public static String clean(String s) {
        if (isPlainLine(s)) {
            return s; // nothing to remove, no space to fold, and ASCII is already NFC
        }
        return cleanFully(s);
    }

    /** {@link #clean} without its shortcut (DisplayTextTest compares the two). */
    static String cleanFully(String s) {
        String visible = LINE_INVISIBLES.matcher(s).replaceAll("");
        String oneLine = WHITESPACE_RUN.matcher(visible).replaceAll(" ");
        // after removal: taking out a zero-width character can bring a letter and its accent together
        return Normalizer.normalize(oneLine, Normalizer.Form.NFC).strip();
    }

    /** A comment's Markdown source: "\n" line endings, invisible and reordering characters removed, NFC. */
    public static String cleanBody(String s) {
        // browsers send a textarea's line breaks as CRLF: made "\n" first, so that most text then takes the shortcut
        String unixLines = s.indexOf('\r') < 0 ? s : LINE_ENDING.matcher(s).replaceAll("\n");
        if (hasNothingToRemove(unixLines)) {
            return Normalizer.normalize(unixLines, Normalizer.Form.NFC); // its own quick check answers most text at once
        }
        return withoutBodyInvisibles(unixLines);
    }

    /** {@link #cleanBody} without its shortcut (DisplayTextTest compares the two). */
    static String cleanBodyFully(String s) {
        return withoutBodyInvisibles(LINE_ENDING.matcher(s).replaceAll("\n"));
    }

    private static String withoutBodyInvisibles(String unixLines) {
        String visible = BODY_INVISIBLES.matcher(unixLines).replaceAll("");
        return Normalizer.normalize(visible, Normalizer.Form.NFC);
    }

    /**
     * Printable ASCII with single inner spaces: what most names are. Two regular expressions on every post found
     * nothing to change in such text (a profile of guests' posts, issue 18).
     */
    private static boolean isPlainLine(String s) {
        if (s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~' || (c == ' ' && s.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    /**
     * No character BODY_INVISIBLES or LINE_ENDING could match: no control but tab and newline, nothing from U+200B
     * to U+2069 (bidi controls, zero-width characters; the joiners and marks kept there take the long way, which
     * keeps them), no BOM, no lone surrogate (an emoji's pair is fine). Most comments, in any script.
     */
    private static boolean hasNothingToRemove(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ') {
                if (c != '\n' && c != '\t') {
                    return false;
                }
            } else if (c >= 0x7F) {
                if (c <= 0x9F || (c >= 0x200B && c <= 0x2069) || c == 0xFEFF) {
                    return false;
                }
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a pair: one code point beyond the BMP, which no rule here removes
                } else if (Character.isSurrogate(c)) {
                    return false;
                }
            }
        }
        return true;
    }
}
