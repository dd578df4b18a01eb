package org.parley.bench;

import org.parley.account.Avatars;
import org.parley.discussion.Markdown;
import org.parley.web.DisplayText;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Comment bodies and guest authors for the dataset, made once from a seed: Markdown (emphasis, links, bare URLs,
 * code, quotes, lists), text that must be escaped ({@code <}, {@code >}, {@code &}, quotes, a {@code <script>}),
 * and non-ASCII (accents, Cyrillic, CJK, right-to-left, emoji). Each body is rendered once by the real
 * {@link Markdown} and reused by many comments, so loading millions of rows never waits on rendering.
 */
final class CommentTexts {
    /** Distinct bodies; comments pick one at random, so a page of 200 shows few repeats. */
    static final int BODIES = 1_000;
    static final int AUTHORS = 300;

    private static final String[] WORDS = {
            "the", "a", "and", "of", "to", "in", "is", "that", "it", "for", "was", "on", "with", "as", "this",
            "article", "point", "really", "think", "agree", "wrong", "source", "data", "because", "maybe", "never",
            "always", "people", "city", "year", "question", "answer", "thanks", "interesting", "but", "not",
            "café", "naïve", "façade", "Zürich", "São", "Paulo", "Kraków", "smörgåsbord", "déjà", "vu",
            "Привет", "мир", "日本語", "東京", "中文", "한국어", "שלום", "مرحبا", "Ελλάδα", "🙂", "👍", "—", "…",
            "don't", "it's", "\"quoted\"", "'single'", "«guillemets»", "„Anführung“", "5 < 7", "7 > 5", "A&B",
            "R&D", "<b>not-bold</b>", "x<y", "&amp;", "&lt;tag&gt;", "a=b&c=d", "50%", "$5", "#hashtag", "@name",
    };
    private static final String[] FIRST = {
            "Anna", "Ben", "Chloé", "Dmitri", "Émile", "Fatima", "Gústav", "Hana", "Ines", "Jürgen", "Kenji",
            "Łucja", "Mateo", "Nadia", "Øyvind", "Priya", "Quentin", "Renée", "Søren", "Tomás", "Ümit", "Viktor",
            "Wen", "Xavier", "Yara", "Zoë", "O'Brien", "Mary-Jane", "Jean \"JJ\"", "Ana & Luís", "Иван", "Мария",
            "山田", "王芳", "김민준", "Yosef", "أحمد", "Nikos", "<script>", "R&D team",
    };
    private static final String[] LAST = {
            "", "", "Smith", "García", "Müller", "Nowak", "Rossi", "Dubois", "Kowalski", "Ivanov", "Tanaka",
            "Nakamura", "Silva", "O'Neil", "van der Berg", "Ødegaard", "Çelik", "Nguyễn", "太郎", "Петров",
    };
    private static final String[] HOSTS = {"example.org", "example.com", "news.example.net", "wiki.example.org"};

    record Author(String name, String email, String avatar) {
    }

    record Body(String source, String html) {
    }

    private final List<Body> bodies;
    private final List<Author> authors;

    CommentTexts(long seed) {
        Random random = new Random(seed);
        this.bodies = new ArrayList<>(BODIES);
        while (bodies.size() < BODIES) {
            // cleaned and rendered exactly as CommentService stores a posted comment
            String source = DisplayText.cleanBody(body(random)).strip();
            String html = Markdown.toHtml(source);
            if (!html.replaceAll("<[^>]*>", "").isBlank()) {
                bodies.add(new Body(source, html));
            }
        }
        this.authors = new ArrayList<>(AUTHORS);
        for (int i = 0; i < AUTHORS; i++) {
            String last = LAST[random.nextInt(LAST.length)];
            String name = DisplayText.clean(FIRST[random.nextInt(FIRST.length)] + (last.isEmpty() ? "" : " " + last));
            // a third of guests leave an email: their avatar follows it, the others' follows their name
            String email = random.nextInt(3) == 0 ? "guest" + i + "@" + HOSTS[random.nextInt(HOSTS.length)] : null;
            authors.add(new Author(name, email, Avatars.keyFor(email, name)));
        }
    }

    Body body(int index) {
        return bodies.get(index % bodies.size());
    }

    Author author(int index) {
        return authors.get(index % authors.size());
    }

    /** One to four paragraphs, mostly a sentence or two, sometimes with Markdown around them. */
    private static String body(Random random) {
        StringBuilder out = new StringBuilder();
        int paragraphs = 1 + (random.nextInt(10) < 6 ? 0 : random.nextInt(4));
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0) {
                out.append("\n\n");
            }
            switch (random.nextInt(12)) {
                case 0 -> out.append("> ").append(sentence(random, 12));
                case 1 -> out.append("- ").append(sentence(random, 6)).append("\n- ").append(sentence(random, 6))
                        .append("\n- ").append(sentence(random, 4));
                case 2 -> out.append("```\nif (a < b && c > d) { print(\"<script>alert('x')</script>\"); }\n```");
                case 3 -> out.append(sentence(random, 10)).append(" [").append(word(random)).append("](https://")
                        .append(HOSTS[random.nextInt(HOSTS.length)]).append("/a?b=1&c=")
                        .append(random.nextInt(1000)).append(") ").append(sentence(random, 5));
                case 4 -> out.append(sentence(random, 8)).append(" https://").append(HOSTS[random.nextInt(HOSTS.length)])
                        .append("/page/").append(random.nextInt(10_000)).append(' ').append(sentence(random, 4));
                case 5 -> out.append("**").append(sentence(random, 4)).append("** ").append(sentence(random, 14))
                        .append(" _").append(word(random)).append("_ `x < y`");
                case 6 -> out.append("1. ").append(sentence(random, 5)).append("\n2. ").append(sentence(random, 7));
                case 7 -> out.append("<div onclick=\"steal()\">").append(sentence(random, 6)).append("</div>");
                default -> out.append(sentence(random, 6 + random.nextInt(30)));
            }
        }
        return out.toString();
    }

    private static String sentence(Random random, int words) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String word = word(random);
            out.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
        }
        return out.append(random.nextInt(5) == 0 ? "?" : ".").toString();
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }
}
